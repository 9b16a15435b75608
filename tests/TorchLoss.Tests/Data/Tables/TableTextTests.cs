using System.IO.Compression;
using System.Text;
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

    string WriteGzip(string name, string text)
    {
        using (var gzip = new GZipStream(File.Create(temp[name]), CompressionLevel.Fastest))
            gzip.Write(Encoding.UTF8.GetBytes(text));
        return temp[name];
    }

    [Theory]
    [InlineData("a\nb\n")]
    [InlineData("a\r\nb\rc")]
    [InlineData("\n\n\r\n\r")]
    [InlineData("")]
    [InlineData("x")]
    public void Lines_end_where_ReadLine_ends_them(string text)
    {
        File.WriteAllText(temp["t.csv"], text);
        var expected = new List<string>();
        using (var reader = new StringReader(text))
            while (reader.ReadLine() is { } line) expected.Add(line);
        var read = new List<string>();
        var bounded = new BoundedLineReader(new StringReader(text), 100, n => new InvalidOperationException());
        while (bounded.ReadLine() is { } line) read.Add(line);
        Assert.Equal(expected, read);
    }

    [Fact]
    public void A_crlf_split_between_two_reads_ends_one_line()
    {
        var text = new string('a', 64 * 1024 - 1) + "\r\nb";
        var bounded = new BoundedLineReader(new StringReader(text), int.MaxValue, n => new InvalidOperationException());
        Assert.Equal((64 * 1024 - 1, "b", (string?)null), (bounded.ReadLine()!.Length, bounded.ReadLine(), bounded.ReadLine()));
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_with_its_number_and_a_line_at_the_limit_is_read()
    {
        // 4 MiB of one character compresses to a few KB: the real limit, tested cheaply.
        var limit = TableLimits.DefaultMaxLineLength;
        var atLimit = WriteGzip("at.csv.gz", "a,b\n" + new string('1', limit) + "\n");
        Assert.Equal(limit, TableText.Lines(atLimit, 0).Last().Text.Length);
        var over = WriteGzip("over.csv.gz", "a,b\n1,2\n" + new string('1', limit + 1) + "\n");
        Assert.Equal($"{over}: line 3 is longer than 4,194,304 characters, the limit for a table line",
            Assert.Throws<TableFormatException>(() => TableText.Lines(over, 0).ToArray()).Message);
    }

    [Fact]
    public void A_gz_file_that_expands_past_the_limit_is_refused()
    {
        var limits = TableLimits.Default with { MaxDecompressedBytes = 4096 };
        var text = string.Concat(Enumerable.Repeat("1,2,a\n", 4096 / 6)) + "1234";
        Assert.Equal(4096, text.Length);
        Assert.Equal(4096 / 6 + 1, TableText.Lines(WriteGzip("at.csv.gz", text), 0, limits).Count());
        var bomb = WriteGzip("bomb.csv.gz", text + "5");
        Assert.Equal($"{bomb}: decompresses to more than 4 KiB, the limit for a .gz table; decompress it and give the plain file",
            Assert.Throws<TableFormatException>(() => TableText.Lines(bomb, 0, limits).ToArray()).Message);
    }

    [Fact]
    public void The_default_limits_are_far_above_real_tables_and_said_in_help()
    {
        Assert.Equal("lines of up to 4,194,304 characters, up to 250,000 columns, a .gz up to 16 GiB decompressed", TableLimits.Summary);
        Assert.Equal("16 GiB", TableLimits.Bytes(TableLimits.DefaultMaxDecompressedBytes));
    }

    [Theory]
    [InlineData(0.5)] // mid-stream, wherever that falls
    [InlineData(-8)] // the trailer (CRC and length) missing: every row is there
    [InlineData(-1)]
    public void A_gz_file_cut_short_is_refused(double cut)
    {
        var whole = File.ReadAllBytes(WriteGzip("whole.csv.gz", TableFiles.Animals(rowsPerClass: 200)));
        var length = cut > 0 ? (int)(whole.Length * cut) : whole.Length + (int)cut;
        File.WriteAllBytes(temp["cut.csv.gz"], whole[..length]);
        var message = Assert.Throws<TableFormatException>(() => TableScan.Check(temp["cut.csv.gz"], ',', new TableOptions())).Message;
        Assert.StartsWith($"{temp["cut.csv.gz"]}: cannot be read as gzip-compressed text (cut short or damaged): ", message);
    }

    [Fact]
    public void A_gz_file_of_two_members_is_read_whole()
    {
        var first = File.ReadAllBytes(WriteGzip("a.gz", "1,2,a\n"));
        var second = File.ReadAllBytes(WriteGzip("b.gz", "3,4,b\n"));
        File.WriteAllBytes(temp["t.csv.gz"], [.. first, .. second]);
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
