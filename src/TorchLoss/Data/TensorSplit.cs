using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Data;

/// <summary>
/// One split resident on a device: inputs X [N, features] float32 and labels Y [N] int64. It owns both tensors;
/// the batches it hands out are new tensors in the caller's current dispose scope (see <see cref="EpochBatches"/>).
/// </summary>
public sealed class TensorSplit : IDisposable
{
    internal TensorSplit(Tensor x, Tensor y, int count, Device device)
    {
        X = x;
        Y = y;
        Count = count;
        Device = device;
    }

    public Tensor X { get; }

    public Tensor Y { get; }

    public int Count { get; }

    public Device Device { get; }

    /// <summary>Batches in file order, e.g. for evaluation.</summary>
    public EpochBatches Batches(int batchSize) => new(this, CheckBatchSize(batchSize), order: null);

    /// <summary>Batches in the order <see cref="EpochOrder.Permutation"/> gives for this seed and epoch.</summary>
    public EpochBatches ShuffledBatches(int batchSize, ulong seed, int epoch)
    {
        CheckBatchSize(batchSize);
        if (Count == 0) return new EpochBatches(this, batchSize, order: null);
        using var scope = torch.NewDisposeScope();
        var order = ArrayTensors.Int64(EpochOrder.Permutation(Count, seed, epoch), Device);
        return new EpochBatches(this, batchSize, order.DetachFromDisposeScope());
    }

    static int CheckBatchSize(int batchSize) =>
        batchSize >= 1 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be at least 1");

    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}
