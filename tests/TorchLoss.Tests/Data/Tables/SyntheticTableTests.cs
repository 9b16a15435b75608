using System.Globalization;
using TorchLoss.Data;
using TorchLoss.Data.Tables;
using TorchSharp;

namespace TorchLoss.Tests.Data.Tables;

public sealed class SyntheticTableTests : IDisposable
{
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_same_settings_give_the_same_file_and_another_seed_another()
    {
        var table = new SyntheticTable(Classes: 5, Features: 3, RowsPerClass: 4, Separation: 2, Seed: 7);
        table.Write(temp["a.csv"]);
        table.Write(temp["b.csv"]);
        (table with { Seed = 8 }).Write(temp["c.csv"]);
        Assert.Equal(File.ReadAllBytes(temp["a.csv"]), File.ReadAllBytes(temp["b.csv"]));
        Assert.NotEqual(File.ReadAllBytes(temp["a.csv"]), File.ReadAllBytes(temp["c.csv"]));
        var lines = File.ReadAllLines(temp["a.csv"]);
        Assert.Equal("f0,f1,f2,label", lines[0]);
        Assert.Equal(21, lines.Length);
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(c => Enumerable.Repeat($"c{c}", 4)), lines.Skip(1).Select(l => l.Split(',')[^1]));
    }

    [Fact]
    public void Rows_scatter_with_unit_noise_around_their_class_center()
    {
        new SyntheticTable(Classes: 2, Features: 2, RowsPerClass: 4000, Separation: 3, Seed: 1).Write(temp["t.csv"]);
        var rows = File.ReadLines(temp["t.csv"]).Skip(1).Select(l => l.Split(','))
            .Select(f => (X: double.Parse(f[0], CultureInfo.InvariantCulture), Label: f[2])).ToArray();
        foreach (var group in rows.GroupBy(r => r.Label))
        {
            var values = group.Select(r => r.X).ToArray();
            var mean = values.Average();
            var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            Assert.Equal(1, std, 0.05);
        }
    }

    [Fact]
    public void It_loads_as_a_table_of_its_classes()
    {
        new SyntheticTable(Classes: 12, Features: 4, RowsPerClass: 20, Separation: 1, Seed: 3).Write(temp["s.csv"]);
        using var data = TableData.Load(new TableFile(temp["s.csv"], ','), new TableOptions(), new DataOptions(), torch.CPU);
        Assert.Equal((12, 4), (data.ClassCount, data.Features));
        Assert.Equal("c0", data.ClassNames[0]);
        Assert.Equal(240, data.Train.Count + data.Validation.Count + data.Test.Count);
    }

    [Theory]
    [InlineData(1, 3, 10, 1.0, "classes must be 2 to")]
    [InlineData(3, 0, 10, 1.0, "features must be 1 to")]
    [InlineData(3, 3, 0, 1.0, "rows per class must be at least 1")]
    [InlineData(3, 3, 10, 0.0, "separation must be a positive number")]
    public void Bad_settings_are_refused(int classes, int features, int rows, double separation, string problem) =>
        Assert.StartsWith(problem, Assert.Throws<FormatException>(() => new SyntheticTable(classes, features, rows, separation, 1).Validate()).Message);
}
