using System.IO.Compression;
using TorchLoss.Data.Tables;

namespace TorchLoss.Tests.Data.Tables;

public sealed class TableTextTests : IDisposable
{
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("1, 2 ,x", new[] { "1", "2", "x" })]
    [InlineData("\"a,b\",\" c \",3", new[] { "a,b", " c ", "3" })]
    [InlineData("\"say \"\"hi\"\"\",2", new[] { "say \"hi\"", "2" })]
    [InlineData("1,,3", new[] { "1", "", "3" })]
    [InlineData("1,2,", new[] { "1", "2", "" })]
    public void Fields_are_split_unquoted_and_trimmed_unless_quoted(string line, string[] expected) =>
        Assert.Equal(expected, TableText.Fields(line, ','));

    [Fact]
    public void An_unclosed_quote_is_no_line() => Assert.Null(TableText.Fields("1,\"open,2", ','));

    [Fact]
    public void Tabs_separate_tsv_fields_and_commas_stay_in_them() =>
        Assert.Equal(["1,5", "x y"], TableText.Fields("1,5\tx y", '\t')!);

    [Fact]
    public void Lines_skip_the_first_rows_and_blank_lines_and_keep_their_numbers()
    {
        File.WriteAllText(temp["t.csv"], "150,4,a,b\n\n1,2\n   \n3,4\n");
        Assert.Equal([new TableLine(3, "1,2"), new TableLine(5, "3,4")], TableText.Lines(temp["t.csv"], skipRows: 1).ToArray());
    }

    [Fact]
    public void A_gz_file_is_read_decompressed()
    {
        using (var gzip = new GZipStream(File.Create(temp["t.csv.gz"]), CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip)) writer.Write("1,2,a\n3,4,b\n");
        Assert.Equal(["1,2,a", "3,4,b"], TableText.Lines(temp["t.csv.gz"], 0).Select(l => l.Text).ToArray());
    }

    [Theory]
    [InlineData("1.5", true)]
    [InlineData("-2e-3", true)]
    [InlineData("1,5", false)]
    [InlineData("NaN", false)]
    [InlineData("inf", false)]
    [InlineData("", false)]
    [InlineData("abc", false)]
    public void Feature_values_are_finite_invariant_numbers(string field, bool number) => Assert.Equal(number, TableText.IsNumber(field));
}
