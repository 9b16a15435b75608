using TorchLoss.Torch;

namespace TorchLoss.Data;

/// <summary>
/// One split resident on a device: inputs X [N, features] float32 and labels Y [N] int64. It owns both tensors;
/// the batches it hands out are new tensors in the caller's current dispose scope.
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

    public int BatchCount(int batchSize) => (Count + CheckBatchSize(batchSize) - 1) / batchSize;

    /// <summary>Batches in file order (the last one may be smaller), e.g. for evaluation.</summary>
    public IEnumerable<Batch> Batches(int batchSize)
    {
        CheckBatchSize(batchSize);
        return InOrder(batchSize);
    }

    /// <summary>Batches in the order <see cref="EpochOrder.Permutation"/> gives for this seed and epoch (the last one may be smaller).</summary>
    public IEnumerable<Batch> ShuffledBatches(int batchSize, ulong seed, int epoch)
    {
        CheckBatchSize(batchSize);
        return Shuffled(batchSize, seed, epoch);
    }

    IEnumerable<Batch> InOrder(int batchSize)
    {
        for (var start = 0; start < Count; start += batchSize)
        {
            var size = Math.Min(batchSize, Count - start);
            yield return new Batch(X.Narrow(0, start, size), Y.Narrow(0, start, size));
        }
    }

    IEnumerable<Batch> Shuffled(int batchSize, ulong seed, int epoch)
    {
        if (Count == 0) yield break;
        // The permutation lives for the whole epoch, across the caller's per-step scopes, so it is kept out of them.
        using var order = Tensor.FromArray(EpochOrder.Permutation(Count, seed, epoch)).DetachFromScope();
        using var onDevice = order.To(Device).DetachFromScope();
        for (var start = 0; start < Count; start += batchSize)
        {
            var size = Math.Min(batchSize, Count - start);
            using var indices = onDevice.Narrow(0, start, size).DetachFromScope();
            yield return new Batch(X.IndexSelect(0, indices), Y.IndexSelect(0, indices));
        }
    }

    static int CheckBatchSize(int batchSize) =>
        batchSize >= 1 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be at least 1");

    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}
