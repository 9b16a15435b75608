using TorchLoss.Data.Tables;

namespace TorchLoss.Tests.Data.Tables;

public sealed class TableProvenanceTests
{
    static readonly string Then = new('a', 64), Now = new('b', 64), TestThen = new('c', 64);

    static TableProvenance Recorded(string? sha256, string? testSha256 = null) =>
        new("/d/t.csv", testSha256 is null ? null : "/d/test.csv", "last", ["x"], ["0", "1"], 0, 8, 2, 2, FileSha256: sha256, TestFileSha256: testSha256);

    [Fact]
    public void The_same_files_are_no_change() => Assert.Null(TableProvenance.Change(Recorded(Then, TestThen), Recorded(Then, TestThen)));

    [Fact]
    public void A_file_whose_hash_differs_is_named_with_both_short_hashes()
    {
        Assert.Equal("/d/t.csv changed since the run was trained (sha256 aaaaaaaaaaaa then, bbbbbbbbbbbb now)",
            TableProvenance.Change(Recorded(Then), Recorded(Now)));
        Assert.Equal("/d/test.csv changed since the run was trained (sha256 cccccccccccc then, bbbbbbbbbbbb now)",
            TableProvenance.Change(Recorded(Then, TestThen), Recorded(Then, Now)));
    }

    [Fact]
    public void A_run_recorded_before_hashes_or_data_without_files_is_not_compared()
    {
        Assert.Null(TableProvenance.Change(Recorded(null), Recorded(Now)));
        Assert.Null(TableProvenance.Change(null, Recorded(Now)));
        Assert.Null(TableProvenance.Change(Recorded(Then), null));
    }
}
