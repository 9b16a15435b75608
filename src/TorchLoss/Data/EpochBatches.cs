using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Data;

/// <summary>
/// One pass over a split in batches, in file order or in a seeded shuffled order (the last batch may be smaller).
/// A batch is made when it is asked for, as new tensors in the caller's current dispose scope: a training step
/// that enters its scope and then takes <c>batches[i]</c> frees the batch with the step. Enumerating works too,
/// but then each batch is made in the scope around the loop, not in one entered inside its body.
/// Dispose it to free the shuffled order it keeps on the device.
/// </summary>
public sealed class EpochBatches : IReadOnlyList<Batch>, IDisposable
{
    readonly TensorSplit split;
    readonly int batchSize;
    readonly Tensor? order;

    internal EpochBatches(TensorSplit split, int batchSize, Tensor? order)
    {
        this.split = split;
        this.batchSize = batchSize;
        this.order = order;
    }

    public int Count => (split.Count + batchSize - 1) / batchSize;

    public Batch this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var start = (long)index * batchSize;
            var size = Math.Min(batchSize, split.Count - start);
            if (order is null) return new Batch(split.X.narrow(0, start, size), split.Y.narrow(0, start, size));
            using var indices = order.narrow(0, start, size).DetachFromDisposeScope();
            return new Batch(split.X.index_select(0, indices), split.Y.index_select(0, indices));
        }
    }

    public IEnumerator<Batch> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => order?.Dispose();
}
