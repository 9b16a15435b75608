using TorchSharp;
using TorchLoss.Data.Tables;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Data;

/// <summary>
/// Training, validation and test splits resident on one device, inputs float32 [N, features] and labels int64: images
/// flattened to [N, height*width] in [0, 1] (or standardised with the training split's pixel statistics), or a table's
/// feature columns (standardised per feature unless asked not to). Dispose it to free them.
/// </summary>
public sealed class ClassificationData : IDisposable
{
    ClassificationData(TensorSplit train, TensorSplit validation, TensorSplit test, int features, IReadOnlyList<string> classNames, bool standardized)
    {
        Train = train;
        Validation = validation;
        Test = test;
        Features = features;
        ClassNames = classNames;
        Standardized = standardized;
    }

    public TensorSplit Train { get; }

    /// <summary>Held out from the end of the training file; empty when the options ask for no validation.</summary>
    public TensorSplit Validation { get; }

    public TensorSplit Test { get; }

    /// <summary>Height and width of each image; null for a table.</summary>
    public (int Height, int Width)? ImageSize { get; private init; }

    public int Features { get; }

    /// <summary>Names by label; for a binary task, index 1 is the positive class.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    public int ClassCount => ClassNames.Count;

    /// <summary>Pixel mean and standard deviation (on the [0, 1] scale) of the training split as used; null for a table.</summary>
    public PixelStatistics? TrainingPixels { get; private init; }

    /// <summary>A table's per-feature standardisation, when it was standardised.</summary>
    public FeatureStandardization? FeatureStandardization { get; private init; }

    /// <summary>Where a table's examples came from, split by split; null for images.</summary>
    public TableProvenance? TableProvenance { get; private init; }

    public bool Standardized { get; }

    public Device Device => Train.Device;

    /// <summary>The share of training labels <see cref="WithTrainingLabelNoise"/> changed; 0 for clean data.</summary>
    public double TrainingLabelNoise { get; private init; }

    // A view made by WithTrainingLabelNoise owns only its noisy labels; the rest belongs to the data it came from.
    Tensor? ownedLabels;

    /// <summary>A view of this data whose training labels have <paramref name="fraction"/> of them changed to another class
    /// (<see cref="LabelNoise"/>); validation and test stay clean. It shares the inputs and the other splits: disposing it
    /// frees only its labels, and it must not outlive this data.</summary>
    public ClassificationData WithTrainingLabelNoise(double fraction, ulong seed = LabelNoise.DefaultSeed)
    {
        long[] labels;
        using (var onCpu = Train.Y.cpu()) labels = onCpu.data<long>().ToArray();
        // Owned by the view, not by any dispose scope the caller has open.
        var noisy = ArrayTensors.Int64(LabelNoise.Apply(labels, ClassCount, fraction, seed), Device).DetachFromDisposeScope();
        return new ClassificationData(new TensorSplit(Train.X, noisy, Train.Count, Device), Validation, Test, Features, ClassNames, Standardized)
        {
            ImageSize = ImageSize, TrainingPixels = TrainingPixels, FeatureStandardization = FeatureStandardization,
            TableProvenance = TableProvenance, TrainingLabelNoise = fraction, ownedLabels = noisy,
        };
    }

    /// <summary>
    /// Builds the splits: validation = the last <see cref="DataOptions.ValidationSize"/> training examples; then the
    /// binary view (if any) filters and relabels every split; then the training limit keeps the first K training examples.
    /// </summary>
    public static ClassificationData Create(LabelledImages train, LabelledImages test, DataOptions options, Device device,
                                            IReadOnlyList<string>? classNames = null)
    {
        options.Validate(train.Count, train.ClassCount);
        if (test.Height != train.Height || test.Width != train.Width)
            throw new InvalidDataException($"test images are {test.Height}x{test.Width} but training images are {train.Height}x{train.Width}");
        device.EnsureAvailable();
        classNames ??= Enumerable.Range(0, train.ClassCount).Select(c => c.ToString()).ToArray();

        var trainEnd = train.Count - (options.ValidationSize ?? DataOptions.DefaultValidationSize);
        var trainRows = Rows(train, 0, trainEnd, options.Binary);
        if (options.TrainLimit is int limit && limit < trainRows.Length) trainRows = trainRows[..limit];
        if (trainRows.Length == 0)
            throw new InvalidDataException($"no training examples are left for binary task {options.Binary} after holding out {train.Count - trainEnd} for validation");
        var validationRows = Rows(train, trainEnd, train.Count, options.Binary);
        var testRows = Rows(test, 0, test.Count, options.Binary);

        var trainPixels = GatherPixels(train, trainRows);
        var statistics = PixelStatistics.Of(trainPixels);
        var standardize = options.Standardize ?? false;
        var standardizeWith = standardize ? statistics : (PixelStatistics?)null;
        var splits = new List<TensorSplit>();
        try
        {
            splits.Add(Upload(Scale(trainPixels, standardizeWith), GatherLabels(train, trainRows, options.Binary), train.PixelsPerImage, device));
            splits.Add(Upload(Scale(GatherPixels(train, validationRows), standardizeWith), GatherLabels(train, validationRows, options.Binary), train.PixelsPerImage, device));
            splits.Add(Upload(Scale(GatherPixels(test, testRows), standardizeWith), GatherLabels(test, testRows, options.Binary), test.PixelsPerImage, device));
        }
        catch
        {
            foreach (var split in splits) split.Dispose();
            throw;
        }
        return new ClassificationData(splits[0], splits[1], splits[2], train.PixelsPerImage, options.Binary?.ClassNames(classNames) ?? classNames, standardize)
        {
            ImageSize = (train.Height, train.Width),
            TrainingPixels = statistics,
        };
    }

    /// <summary>Puts a table's splits on <paramref name="device"/>: features row-major, <paramref name="features"/> per example.</summary>
    internal static ClassificationData FromTable(int features, IReadOnlyList<string> classNames, Device device,
        (float[] X, long[] Y) train, (float[] X, long[] Y) validation, (float[] X, long[] Y) test,
        FeatureStandardization? standardization, TableProvenance provenance)
    {
        device.EnsureAvailable();
        var splits = new List<TensorSplit>();
        try
        {
            foreach (var (x, y) in new[] { train, validation, test }) splits.Add(Upload(x, y, features, device));
        }
        catch
        {
            foreach (var split in splits) split.Dispose();
            throw;
        }
        return new ClassificationData(splits[0], splits[1], splits[2], features, classNames, standardization is not null)
        {
            FeatureStandardization = standardization,
            TableProvenance = provenance,
        };
    }

    static int[] Rows(LabelledImages images, int start, int end, BinaryTask? binary)
    {
        var rows = Enumerable.Range(start, end - start);
        return (binary is null ? rows : rows.Where(i => binary.Includes(images.Labels[i]))).ToArray();
    }

    static byte[] GatherPixels(LabelledImages images, int[] rows)
    {
        var pixels = new byte[rows.Length * images.PixelsPerImage];
        for (var i = 0; i < rows.Length; i++)
            images.Image(rows[i]).CopyTo(pixels.AsSpan(i * images.PixelsPerImage));
        return pixels;
    }

    static long[] GatherLabels(LabelledImages images, int[] rows, BinaryTask? binary) =>
        rows.Select(i => binary?.Relabel(images.Labels[i]) ?? images.Labels[i]).ToArray();

    static TensorSplit Upload(float[] values, long[] labels, int features, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var count = labels.Length;
        var x = ArrayTensors.Float32(values, [count, features], device);
        var y = ArrayTensors.Int64(labels, device);
        return new TensorSplit(x.DetachFromDisposeScope(), y.DetachFromDisposeScope(), count, device);
    }

    /// <summary>
    /// Maps each byte through a 256-entry table computed in double precision: one pass, where libtorch's CPU
    /// kernels took three (convert, scale, standardise) at about 0.5 s each for MNIST's training split.
    /// </summary>
    static float[] Scale(byte[] pixels, PixelStatistics? standardizeWith)
    {
        // A constant training set (std 0) only arises in tiny synthetic data; it is then just centred.
        var (mean, std) = standardizeWith is { } s ? (s.Mean, s.Std > 0 ? s.Std : 1) : (0.0, 1.0);
        var table = new float[256];
        for (var b = 0; b < table.Length; b++) table[b] = (float)((b / 255.0 - mean) / std);
        var values = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++) values[i] = table[pixels[i]];
        return values;
    }

    public void Dispose()
    {
        if (ownedLabels is not null)
        {
            ownedLabels.Dispose();
            return;
        }
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
