using TorchLoss.Data.Tables;

namespace TorchLoss.Tests.Data.Tables;

public sealed class StratifiedSplitTests
{
    static readonly long[] Labels = [.. Enumerable.Repeat(0L, 50), .. Enumerable.Repeat(1L, 30), .. Enumerable.Repeat(2L, 20)];

    static int[] PerClass(IEnumerable<int> rows) => Enumerable.Range(0, 3).Select(c => rows.Count(r => Labels[r] == c)).ToArray();

    [Fact]
    public void Each_class_gives_its_share_and_the_parts_cover_every_row_once()
    {
        var (taken, others) = StratifiedSplit.Take(Enumerable.Range(0, 100).ToArray(), Labels, 3, 20, seed: 1, stream: -1);
        Assert.Equal([10, 6, 4], PerClass(taken));
        Assert.Equal(Enumerable.Range(0, 100), taken.Concat(others).Order());
    }

    [Fact]
    public void Shares_that_do_not_divide_evenly_add_up_to_the_count_asked_for() =>
        Assert.Equal(33, StratifiedSplit.Take(Enumerable.Range(0, 100).ToArray(), Labels, 3, 33, 1, -1).Taken.Length);

    [Fact]
    public void Every_class_keeps_a_row_behind()
    {
        long[] labels = [0, 0, 0, 0, 0, 0, 0, 0, 1];
        var (taken, others) = StratifiedSplit.Take(Enumerable.Range(0, 9).ToArray(), labels, 2, 5, 1, -1);
        Assert.Equal(5, taken.Length);
        Assert.Contains(8, others);
    }

    [Fact]
    public void The_rows_come_in_a_seeded_order()
    {
        var rows = Enumerable.Range(0, 100).ToArray();
        var first = StratifiedSplit.Take(rows, Labels, 3, 20, 1, -1);
        Assert.Equal(first.Taken, StratifiedSplit.Take(rows, Labels, 3, 20, 1, -1).Taken);
        Assert.NotEqual(first.Taken, StratifiedSplit.Take(rows, Labels, 3, 20, 2, -1).Taken);
        Assert.NotEqual(first.Taken.Order(), first.Taken); // not file order: a training limit takes a mixed sample
    }
}
