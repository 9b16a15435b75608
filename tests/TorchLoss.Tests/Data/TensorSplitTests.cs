using TorchLoss.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Data;

public sealed class TensorSplitTests : IDisposable
{
    const int Count = 23;

    // Row i of X is [i, i, i] / 255 and its label is i mod 10, so a batch's rows say which examples it holds.
    readonly ClassificationData data = ClassificationData.Create(
        new LabelledImages(Enumerable.Range(0, Count * 3).Select(k => (byte)(k / 3)).ToArray(), TinyDataset.CyclicLabels(Count), 1, 3, 10),
        new LabelledImages(new byte[3], [0], 1, 3, 10),
        new DataOptions { ValidationSize = 0 }, torch.CPU);

    TensorSplit Train => data.Train;

    static long[] Examples(Batch batch) => (batch.X.select(1, 0) * 255.0).round().to_type(ScalarType.Int64).data<long>().ToArray();

    List<long[]> Epoch(int batchSize, ulong seed, int epoch)
    {
        using var scope = torch.NewDisposeScope();
        using var batches = Train.ShuffledBatches(batchSize, seed, epoch);
        return batches.Select(Examples).ToList();
    }

    [Fact]
    public void A_shuffled_epoch_visits_every_example_once_in_batches_of_the_given_size()
    {
        var batches = Epoch(batchSize: 5, seed: 7, epoch: 0);
        Assert.Equal([5, 5, 5, 5, 3], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), batches.SelectMany(b => b).Order());
        Assert.NotEqual(Enumerable.Range(0, Count).Select(i => (long)i), batches.SelectMany(b => b));
    }

    [Fact]
    public void The_same_seed_and_epoch_give_the_same_order_and_another_epoch_or_seed_another()
    {
        Assert.Equal(Epoch(4, seed: 7, epoch: 3), Epoch(4, seed: 7, epoch: 3));
        Assert.NotEqual(Epoch(4, seed: 7, epoch: 3), Epoch(4, seed: 7, epoch: 4));
        Assert.NotEqual(Epoch(4, seed: 7, epoch: 3), Epoch(4, seed: 8, epoch: 3));
    }

    [Fact]
    public void Shuffled_batches_follow_the_epoch_order_and_keep_labels_with_their_images()
    {
        using var scope = torch.NewDisposeScope();
        var order = EpochOrder.Permutation(Count, 11, 2);
        using var batches = Train.ShuffledBatches(Count, 11, 2);
        var batch = Assert.Single(batches);
        Assert.Equal(order, Examples(batch));
        Assert.Equal(order.Select(i => i % 10), batch.Y.data<long>().ToArray());
    }

    [Fact]
    public void Ordered_batches_cover_the_split_in_file_order()
    {
        using var scope = torch.NewDisposeScope();
        using var batches = Train.Batches(10);
        Assert.Equal(3, batches.Count);
        Assert.Equal([10, 10, 3], batches.Select(b => b.Size));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), batches.SelectMany(Examples));
    }

    [Fact]
    public void A_batch_taken_inside_a_step_scope_is_freed_with_the_step_and_the_split_stays()
    {
        using var batches = Train.ShuffledBatches(8, seed: 1, epoch: 0);
        var taken = new List<Batch>();
        for (var i = 0; i < batches.Count; i++)
        {
            using var step = torch.NewDisposeScope();
            taken.Add(batches[i]);
            Assert.Equal(2, step.DisposablesCount);
        }
        Assert.All(taken, b => Assert.True(b.X.IsInvalid && b.Y.IsInvalid));
        Assert.False(Train.X.IsInvalid);
        Assert.Equal(Count, Train.Y.data<long>().ToArray().Length);
    }

    [Fact]
    public void The_shuffled_order_lives_until_the_epoch_is_disposed()
    {
        var batches = Train.ShuffledBatches(8, seed: 1, epoch: 0);
        using (torch.NewDisposeScope()) Assert.Equal(8, batches[0].Size);
        using (torch.NewDisposeScope()) Assert.Equal(7, batches[2].Size);
        batches.Dispose();
        Assert.Throws<InvalidOperationException>(() => batches[0]); // TorchSharp: "Tensor invalid -- empty handle"
        Assert.Throws<ArgumentOutOfRangeException>(() => Train.Batches(8)[3]);
    }

    [Fact]
    public void Batch_size_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Train.Batches(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Train.ShuffledBatches(0, 1, 0));
    }

    public void Dispose() => data.Dispose();
}
