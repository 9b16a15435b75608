using TorchLoss.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Data;

/// <summary>Checks the real MNIST in the default data directory; skipped when it has not been fetched.</summary>
public sealed class RealMnistTests
{
    static readonly int[] trainCounts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
    static readonly int[] testCounts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

    static DatasetStore Store => DatasetStore.AtDefaultLocation();

    [MnistPresentFact]
    public void Files_match_the_manifest_and_hold_the_canonical_label_counts()
    {
        Assert.All(Store.Verify("mnist"), check => Assert.Equal(FileState.Ok, check.State));
        var files = new DatasetFiles(Store.Manifest.Get("mnist"), Store.DirectoryOf("mnist"));
        var train = files.LoadTrain();
        var test = files.LoadTest();
        Assert.Equal((60000, 28, 28), (train.Count, train.Height, train.Width));
        Assert.Equal(trainCounts, train.LabelCounts());
        Assert.Equal(testCounts, test.LabelCounts());
        Assert.Equal(0.1307, PixelStatistics.Of(train.Pixels).Mean, 4);
        Assert.Equal(0.3081, PixelStatistics.Of(train.Pixels).Std, 4);
    }

    [MnistPresentFact]
    public void Loads_as_resident_tensors_with_the_default_validation_split()
    {
        using var data = Store.Ensure("mnist").Load(new DataOptions { Standardize = true }, torch.CPU);
        Assert.Equal((50000, 10000, 10000), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([50000, 784], data.Train.X.shape);
        Assert.Equal(10, data.ClassCount);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(0, data.Train.X.mean().ToDouble(), 4);
        Assert.Equal(10000, data.Test.Y.eq(10L).logical_not().sum().ToDouble());
    }
}
