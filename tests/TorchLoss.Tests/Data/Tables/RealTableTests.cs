using TorchLoss.Data;
using TorchSharp;

namespace TorchLoss.Tests.Data.Tables;

/// <summary>Facts that run only when the named table dataset is in the default data directory (scripts/test.sh fetches digits).</summary>
public sealed class TablePresentFactAttribute : FactAttribute
{
    public TablePresentFactAttribute(string dataset)
    {
        var store = DatasetStore.AtDefaultLocation();
        var spec = DatasetManifest.Embedded.Get(dataset);
        if (spec.Files.Any(f => !File.Exists(Path.Combine(store.DirectoryOf(dataset), f.Name))))
            Skip = $"{dataset} not present in {store.DirectoryOf(dataset)}; run scripts/torchloss data fetch {dataset}";
    }
}

/// <summary>scikit-learn's digits as Debian ships them: a file no one here wrote, verified by its checksum.</summary>
public sealed class RealTableTests
{
    [TablePresentFact("digits")]
    public void Digits_verify_and_load_as_1797_rows_of_64_counts_in_10_classes()
    {
        var store = DatasetStore.AtDefaultLocation();
        Assert.All(store.Verify("digits"), check => Assert.Equal(FileState.Ok, check.State));
        var files = new DatasetFiles(store.Manifest.Get("digits"), store.DirectoryOf("digits"));
        using var data = files.Load(new DataOptions { Standardize = false }, torch.CPU);
        Assert.Equal((64, 10), (data.Features, data.ClassCount));
        Assert.Equal(1797, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.Equal(359, data.Test.Count); // 20 % of 1797, rounded, stratified
        using var all = torch.cat([data.Train.X, data.Validation.X, data.Test.X]);
        Assert.Equal((0f, 16f), (all.min().item<float>(), all.max().item<float>()));
        using var labels = torch.cat([data.Train.Y, data.Validation.Y, data.Test.Y]);
        Assert.Equal([178L, 182, 177, 183, 181, 182, 181, 179, 174, 180], labels.bincount(null).data<long>().ToArray());
    }
}
