using TorchLoss.Data;

namespace TorchLoss.Cli.Commands;

/// <summary>What `data info` finds in an image dataset, computed once and printed as text or as JSON.</summary>
internal sealed record ImageDatasetInfo(string Dataset, string Description, string Directory, IReadOnlyList<ImageSplitInfo> Splits,
    IReadOnlyList<ImageClassInfo> Classes)
{
    public static ImageDatasetInfo Of(DatasetFiles files)
    {
        var train = files.LoadTrain();
        var test = files.LoadTest();
        var splits = new[] { ("train", train), ("test", test) }.Select(s =>
        {
            var pixels = PixelStatistics.Of(s.Item2.Pixels);
            return new ImageSplitInfo(s.Item1, s.Item2.Count, s.Item2.Height, s.Item2.Width, pixels.Mean, pixels.Std);
        }).ToList();
        var trainCounts = train.LabelCounts();
        var testCounts = test.LabelCounts();
        var classes = Enumerable.Range(0, trainCounts.Length)
            .Select(label => new ImageClassInfo(label, files.Spec.Classes[label], trainCounts[label], testCounts[label])).ToList();
        return new ImageDatasetInfo(files.Spec.Name, files.Spec.Description, files.Directory, splits, classes);
    }
}

internal sealed record ImageSplitInfo(string Split, int Examples, int Height, int Width, double PixelMean, double PixelStd);

internal sealed record ImageClassInfo(int Label, string Class, int Train, int Test);

/// <summary>What `data info` finds in a table: how it is read and split, and each class's rows per split.</summary>
internal sealed record TableDatasetInfo(string Dataset, string? Description, string File, string? TestFile, string LabelColumn,
    IReadOnlyList<string> FeatureColumns, ulong SplitSeed, bool Standardized, IReadOnlyList<TableClassInfo> Classes, int Train,
    int Validation, int Test)
{
    public static TableDatasetInfo Of(string dataset, string? description, string path, ClassificationData data)
    {
        var table = data.TableProvenance!;
        var counts = new[] { data.Train, data.Validation, data.Test }.Select(Counts(data.ClassCount)).ToArray();
        var classes = Enumerable.Range(0, data.ClassCount)
            .Select(c => new TableClassInfo(c, data.ClassNames[c], table.LabelValues[c], counts[0][c], counts[1][c], counts[2][c])).ToList();
        return new TableDatasetInfo(dataset, description, path, table.TestFile, table.LabelColumn, table.FeatureColumns, table.SplitSeed,
            data.Standardized, classes, data.Train.Count, data.Validation.Count, data.Test.Count);
    }

    static Func<TensorSplit, int[]> Counts(int classes) => split =>
    {
        var counts = new int[classes];
        if (split.Count == 0) return counts;
        using var labels = split.Y.cpu();
        foreach (var label in labels.data<long>()) counts[label]++;
        return counts;
    };
}

internal sealed record TableClassInfo(int Class, string Name, string Label, int Train, int Validation, int Test);
