using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

public sealed class LabelledImagesTests : IDisposable
{
    readonly TempDirectory temp = new();

    LabelledImages Load(byte[] images, byte[] labels, int classCount = 10)
    {
        File.WriteAllBytes(temp["images"], images);
        File.WriteAllBytes(temp["labels"], labels);
        return LabelledImages.Load(temp["images"], temp["labels"], classCount);
    }

    [Fact]
    public void Loads_images_labels_and_their_size()
    {
        var data = Load(IdxWriter.Images(3, 2, 5), IdxWriter.Labels(7, 0, 7));
        Assert.Equal((3, 2, 5, 10), (data.Count, data.Height, data.Width, data.PixelsPerImage));
        Assert.Equal(new byte[] { 7, 0, 7 }, data.Labels);
        Assert.Equal(IdxWriter.Images(3, 2, 5)[(16 + 10)..(16 + 20)], data.Image(1).ToArray());
    }

    [Fact]
    public void Counts_labels_per_class()
    {
        var data = Load(IdxWriter.Images(4, 1, 1), IdxWriter.Labels(2, 0, 2, 2), classCount: 3);
        Assert.Equal([1, 0, 3], data.LabelCounts());
    }

    [Fact]
    public void Rejects_images_and_labels_of_different_counts_naming_both_files()
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(IdxWriter.Images(3, 2, 2), IdxWriter.Labels(1, 2)));
        Assert.Equal($"{temp["images"]} holds 3 images but {temp["labels"]} holds 2 labels; " +
                     "the files do not belong together: delete both and fetch them again", error.Message);
    }

    [Fact]
    public void Rejects_labels_outside_the_classes()
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(IdxWriter.Images(2, 1, 1), IdxWriter.Labels(1, 10)));
        Assert.Contains("label 10 at index 1 is outside 0..9", error.Message);
    }

    [Fact]
    public void Rejects_files_swapped_by_rank()
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(IdxWriter.Labels(1, 2), IdxWriter.Images(2, 1, 1)));
        Assert.Contains("expected images", error.Message);
    }

    [Fact]
    public void Pixel_statistics_are_on_the_unit_scale()
    {
        var statistics = PixelStatistics.Of([0, 255, 0, 255]);
        Assert.Equal(0.5, statistics.Mean, 12);
        Assert.Equal(0.5, statistics.Std, 12);
    }

    public void Dispose() => temp.Dispose();
}
