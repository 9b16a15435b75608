using TorchLoss.Data.Tables;

namespace TorchLoss.Tests.Data.Tables;

public sealed class TableLayoutTests
{
    static TableLayout Resolve(string first, string? second, TableOptions? options = null, char separator = ',', TableHeader? trainedOn = null) =>
        TableLayout.Resolve("t.csv", separator, new TableLine(1, first), second is null ? null : new TableLine(2, second), options ?? new TableOptions(), trainedOn);

    static string Error(string first, string? second, TableOptions options) =>
        Assert.Throws<TableFormatException>(() => Resolve(first, second, options)).Message;

    [Fact]
    public void A_first_line_of_names_over_numbers_is_a_header_and_the_label_is_the_last_column()
    {
        var layout = Resolve("sepal,petal,species", "5.1,1.4,setosa");
        Assert.True(layout.HasHeader);
        Assert.Equal(["sepal", "petal", "species"], layout.ColumnNames);
        Assert.Equal(2, layout.LabelIndex);
        Assert.Equal([0, 1], layout.FeatureIndices);
    }

    [Fact]
    public void Numbers_in_the_first_line_are_data()
    {
        var layout = Resolve("5.1,1.4,setosa", "4.9,1.3,setosa");
        Assert.False(layout.HasHeader);
        Assert.Equal(["0", "1", "2"], layout.ColumnNames);
    }

    [Fact]
    public void The_header_option_overrides_detection()
    {
        Assert.True(Resolve("1,2,3", "4,5,6", new TableOptions { Header = HeaderMode.Present }).HasHeader);
        Assert.False(Resolve("a,b,c", "4,5,6", new TableOptions { Header = HeaderMode.Absent }).HasHeader);
    }

    [Theory]
    [InlineData("species", 0)]
    [InlineData("SPECIES", 0)]
    [InlineData("0", 0)]
    [InlineData("-1", 3)]
    [InlineData("2", 2)]
    public void The_label_column_is_chosen_by_name_or_index(string selector, int expected) =>
        Assert.Equal(expected, Resolve("species,a,b,c", "x,1,2,3", new TableOptions { LabelColumn = selector }).LabelIndex);

    [Fact]
    public void Feature_columns_take_names_indices_and_ranges_in_the_order_given()
    {
        var layout = Resolve("id,a,b,c,d,label", "7,1,2,3,4,x", new TableOptions { FeatureColumns = "d, 1-2" });
        Assert.Equal([4, 1, 2], layout.FeatureIndices);
        Assert.Equal(["d", "a", "b"], layout.FeatureNames);
    }

    [Fact]
    public void Unknown_columns_are_refused_with_the_columns_there_are() =>
        Assert.Equal("--label-column 'kind': t.csv has no such column; its columns are a, b, label (or give a 0-based index)",
            Error("a,b,label", "1,2,x", new TableOptions { LabelColumn = "kind" }));

    [Fact]
    public void Without_a_header_columns_are_chosen_by_index_only() =>
        Assert.Contains("t.csv has no header, so columns are chosen by 0-based index (0 to 2)",
            Error("1,2,x", "3,4,y", new TableOptions { LabelColumn = "label" }));

    [Fact]
    public void An_index_outside_the_columns_is_refused() =>
        Assert.Equal("--feature-columns '1-5': t.csv has columns 0 to 2", Error("1,2,x", "3,4,y", new TableOptions { FeatureColumns = "1-5" }));

    [Fact]
    public void The_label_cannot_also_be_a_feature() =>
        Assert.Equal("t.csv: column 2 (label) is the label column and cannot also be a feature",
            Error("a,b,label", "1,2,x", new TableOptions { FeatureColumns = "0-2" }));

    [Fact]
    public void A_single_column_hints_at_the_separator() =>
        Assert.Contains("is the separator ',' right?", Error("1;2;x", "3;4;y", new TableOptions()));

    [Fact]
    public void A_header_without_rows_is_refused() =>
        Assert.Equal("t.csv: the file has a header but no data rows", Error("a,b,label", null, new TableOptions()));

    [Fact]
    public void More_columns_than_the_limit_are_refused_at_the_first_line()
    {
        static string Zeros(int count) => string.Join(',', Enumerable.Repeat("0", count));
        Assert.Equal(TableLimits.DefaultMaxColumns, Resolve(Zeros(TableLimits.DefaultMaxColumns), null).ColumnCount);
        Assert.Equal("t.csv: line 1 has 250,001 columns, more than 250,000, the limit for a table",
            Error(Zeros(TableLimits.DefaultMaxColumns + 1), Zeros(TableLimits.DefaultMaxColumns + 1), new TableOptions()));
    }

    static readonly TableHeader Trained = new(["id", "width", "height", "kind"], Label: 3, Features: [1, 2]);

    [Fact]
    public void A_header_like_the_trained_ones_finds_its_columns_by_name_in_any_order()
    {
        var same = Resolve("id,width,height,kind", "1,2,3,x", trainedOn: Trained);
        Assert.Equal(3, same.LabelIndex);
        Assert.Equal([1, 2], same.FeatureIndices);
        var reordered = Resolve("kind,height,id,width", "x,3,1,2", trainedOn: Trained);
        Assert.Equal(0, reordered.LabelIndex);
        Assert.Equal([3, 1], reordered.FeatureIndices);
        Assert.Equal(["width", "height"], reordered.FeatureNames);
    }

    [Theory]
    [InlineData("id,width,kind", "missing 'height'")]
    [InlineData("id,width,height,kind,colour", "extra 'colour'")]
    [InlineData("id,width,hight,kind", "missing 'height'; extra 'hight'")]
    public void A_header_unlike_the_trained_ones_is_refused(string header, string difference) =>
        Assert.Equal($"t.csv: its columns are not the training file's (they are matched by header name, in any order): {difference}",
            Assert.Throws<TableFormatException>(() => Resolve(header, string.Join(',', header.Split(',').Select((_, i) => i == 0 ? "x" : "1")), trainedOn: Trained)).Message);

    [Fact]
    public void Without_a_header_the_trained_columns_are_taken_by_position()
    {
        var layout = Resolve("1,2,3,x", "4,5,6,y", new TableOptions { LabelColumn = "3", FeatureColumns = "1-2" }, trainedOn: Trained);
        Assert.Equal(3, layout.LabelIndex);
        Assert.Equal([1, 2], layout.FeatureIndices);
    }
}
