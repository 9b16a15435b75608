using Microsoft.ML;
using Microsoft.ML.Data;
using TorchLoss.Data;
using TorchLoss.Data.Tables;
using TorchSharp;

namespace TorchLoss.Tests.Data.Tables;

/// <summary>Examples from any IDataView, as a user's own data in memory would give them.</summary>
public sealed class DataViewRowsTests
{
    sealed class Example
    {
        public string Kind { get; set; } = "";
        public double Weight { get; set; }

        [VectorType(2)]
        public float[] Shape { get; set; } = [];
    }

    sealed class Keyed
    {
        [KeyType(3)]
        public uint Class { get; set; }
        public float Value { get; set; }
    }

    [Fact]
    public void Scalar_and_vector_feature_columns_are_concatenated_in_the_order_given()
    {
        var view = new MLContext(0).Data.LoadFromEnumerable(new[]
        {
            new Example { Kind = "a", Weight = 1.5, Shape = [2, 3] },
            new Example { Kind = " b ", Weight = -4, Shape = [5, 6] },
        });
        var rows = DataViewRows.Read(view, "Kind", ["Shape", "Weight"]);
        Assert.Equal(["a", "b"], rows.Labels);
        Assert.Equal(["Shape[0]", "Shape[1]", "Weight"], rows.FeatureNames);
        Assert.Equal([2f, 3f, 1.5f, 5f, 6f, -4f], rows.Features);
        Assert.Equal("the data: row 2", rows.Where(1));
    }

    /// <summary>ML.NET stores key k + 1 for class k (0 is "missing"); objects loaded from memory hold the class itself.</summary>
    [Fact]
    public void A_key_label_is_its_zero_based_class()
    {
        var view = new MLContext(0).Data.LoadFromEnumerable(new[] { new Keyed { Class = 0, Value = 1 }, new Keyed { Class = 2, Value = 2 } });
        Assert.Equal(["0", "2"], DataViewRows.Read(view, "Class", ["Value"]).Labels);
    }

    [Fact]
    public void A_missing_column_names_the_columns_there_are()
    {
        var view = new MLContext(0).Data.LoadFromEnumerable(new[] { new Keyed { Class = 1, Value = 1 } });
        Assert.Equal("the data has no column 'Label'; its columns are Class, Value",
            Assert.Throws<FormatException>(() => DataViewRows.Read(view, "Label", ["Value"])).Message);
    }

    [Fact]
    public void Text_features_are_refused()
    {
        var view = new MLContext(0).Data.LoadFromEnumerable(new[] { new Example { Kind = "a", Shape = [1, 2] } });
        Assert.Contains("features must be numbers", Assert.Throws<FormatException>(() => DataViewRows.Read(view, "Weight", ["Kind"])).Message);
    }

    [Fact]
    public void An_IDataView_becomes_the_same_stratified_splits_as_a_file()
    {
        var examples = Enumerable.Range(0, 60).Select(i => new Example { Kind = $"k{i % 3}", Weight = i % 3, Shape = [i % 3, 1] }).ToArray();
        var view = new MLContext(0).Data.LoadFromEnumerable(examples);
        using var data = TableData.FromDataView(view, "Kind", ["Weight", "Shape"], new TableOptions(), new DataOptions(), torch.CPU);
        Assert.Equal(["k0", "k1", "k2"], data.ClassNames);
        Assert.Equal((3, 38, 10, 12), (data.Features, data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal("an IDataView", data.TableProvenance!.File);
        Assert.Equal(["Weight", "Shape[0]", "Shape[1]"], data.TableProvenance.FeatureColumns);
    }
}
