using TorchLoss.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Data;

public sealed class ClassificationDataTests
{
    const int Height = 4, Width = 3, Features = Height * Width;

    /// <summary>count images, image i holding pixel value (i + p) mod 256 at position p, labels i mod 10.</summary>
    static LabelledImages Images(int count) => new(
        Enumerable.Range(0, count * Features).Select(k => (byte)((k / Features + k % Features) % 256)).ToArray(),
        TinyDataset.CyclicLabels(count), Height, Width, ClassCount: 10);

    static ClassificationData Create(DataOptions options, int trainCount = 40, int testCount = 20) =>
        ClassificationData.Create(Images(trainCount), Images(testCount), options, torch.CPU);

    static float[] Row(Tensor x, int row)
    {
        using var scope = torch.NewDisposeScope();
        return x.select(0, row).data<float>().ToArray();
    }

    [Fact]
    public void Images_become_flat_float32_rows_in_the_unit_interval_and_labels_int64()
    {
        using var data = Create(new DataOptions { ValidationSize = 10 });
        Assert.Equal([30, Features], data.Train.X.shape);
        Assert.Equal(ScalarType.Float32, data.Train.X.dtype);
        Assert.Equal([30], data.Train.Y.shape);
        Assert.Equal(ScalarType.Int64, data.Train.Y.dtype);
        Assert.Equal(((int, int)?)(Height, Width), data.ImageSize);
        Assert.Equal((Features, 10), (data.Features, data.ClassCount));
        Assert.Equal(Enumerable.Range(5, Features).Select(v => v / 255f), Row(data.Train.X, 5));
        Assert.Equal(TinyDataset.CyclicLabels(30).Select(l => (long)l), data.Train.Y.data<long>().ToArray());
    }

    [Fact]
    public void Validation_is_held_out_from_the_end_of_the_training_file()
    {
        using var data = Create(new DataOptions { ValidationSize = 10 });
        Assert.Equal((30, 10, 20), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal(Enumerable.Range(30, Features).Select(v => v / 255f), Row(data.Validation.X, 0));
    }

    [Fact]
    public void No_validation_gives_an_empty_split()
    {
        using var data = Create(new DataOptions { ValidationSize = 0 });
        Assert.Equal(40, data.Train.Count);
        Assert.Equal([0, Features], data.Validation.X.shape);
        Assert.Empty(data.Validation.Batches(8));
        Assert.Empty(data.Validation.ShuffledBatches(8, seed: 1, epoch: 0));
    }

    [Theory]
    [InlineData(40)]
    [InlineData(-1)]
    public void A_validation_split_that_leaves_no_training_data_is_refused(int validation)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Create(new DataOptions { ValidationSize = validation }));
        Assert.Contains("must be between 0 and 39", error.Message);
    }

    [Fact]
    public void The_limit_keeps_the_first_training_examples_and_leaves_validation_alone()
    {
        using var data = Create(new DataOptions { ValidationSize = 10, TrainLimit = 7 });
        Assert.Equal((7, 10), (data.Train.Count, data.Validation.Count));
        Assert.Equal(TinyDataset.CyclicLabels(7).Select(l => (long)l), data.Train.Y.data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new DataOptions { TrainLimit = 0, ValidationSize = 0 }));
    }

    [Fact]
    public void Standardising_uses_the_training_splits_statistics_in_every_split()
    {
        using var data = Create(new DataOptions { ValidationSize = 10, Standardize = true });
        var train = data.Train.X.data<float>().ToArray();
        Assert.Equal(0, train.Average(), 5);
        Assert.Equal(1, Math.Sqrt(train.Average(v => (double)v * v)), 5);

        var expected = PixelStatistics.Of(Images(40).Pixels.AsSpan(0, 30 * Features));
        Assert.Equal(expected, data.TrainingPixels);
        Assert.True(data.Standardized);
        Assert.Equal((float)((12 / 255.0 - expected.Mean) / expected.Std), Row(data.Test.X, 12)[0], 5);
    }

    [Fact]
    public void One_class_against_another_keeps_only_those_classes_labelled_one_and_zero()
    {
        using var data = Create(new DataOptions { ValidationSize = 10, Binary = new BinaryTask(3, 5) });
        Assert.Equal([1, 0, 1, 0, 1, 0], data.Train.Y.data<long>().ToArray());
        Assert.Equal((3L + 0) / 255f, Row(data.Train.X, 0)[0]);
        Assert.Equal((2, 4), (data.Validation.Count, data.Test.Count));
        Assert.Equal(["c5", "c3"], ClassificationData.Create(Images(40), Images(20),
            new DataOptions { ValidationSize = 10, Binary = new BinaryTask(3, 5) }, torch.CPU,
            Enumerable.Range(0, 10).Select(c => $"c{c}").ToArray()).ClassNames);
    }

    [Fact]
    public void One_class_against_the_rest_keeps_everything()
    {
        using var data = Create(new DataOptions { ValidationSize = 10, Binary = new BinaryTask(3), TrainLimit = 12 });
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 10 == 3 ? 1L : 0L), data.Train.Y.data<long>().ToArray());
        Assert.Equal(["not 3", "3"], data.ClassNames);
    }

    [Fact]
    public void Resident_tensors_outlive_the_scope_they_were_made_in_until_disposed()
    {
        ClassificationData data;
        using (torch.NewDisposeScope()) data = Create(new DataOptions { ValidationSize = 10 });
        Assert.False(data.Train.X.IsInvalid);
        Assert.Equal(30, data.Train.Y.data<long>().ToArray().Length);
        data.Dispose();
        Assert.True(data.Train.X.IsInvalid && data.Validation.Y.IsInvalid && data.Test.X.IsInvalid);
    }

    [Fact]
    public void Test_images_must_have_the_training_images_size()
    {
        var wide = new LabelledImages(new byte[2 * 20], [0, 1], 4, 5, 10);
        var error = Assert.Throws<InvalidDataException>(() => ClassificationData.Create(Images(10), wide, new DataOptions { ValidationSize = 0 }, torch.CPU));
        Assert.Equal("test images are 4x5 but training images are 4x3", error.Message);
    }
}
