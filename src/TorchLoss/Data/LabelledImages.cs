using TorchLoss.Data.Idx;

namespace TorchLoss.Data;

/// <summary>A split's images (row-major bytes, one image after another) and labels, as read from a pair of IDX files.</summary>
public sealed record LabelledImages(byte[] Pixels, byte[] Labels, int Height, int Width, int ClassCount)
{
    public int Count => Labels.Length;

    public int PixelsPerImage => Height * Width;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>How many examples carry each label, indexed by label.</summary>
    public int[] LabelCounts()
    {
        var counts = new int[ClassCount];
        foreach (var label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>Reads and cross-checks an images file (rank 3: count x height x width) and a labels file (rank 1).</summary>
    public static LabelledImages Load(string imagesPath, string labelsPath, int classCount)
    {
        var images = IdxReader.Read(imagesPath);
        var labels = IdxReader.Read(labelsPath);
        if (images.Rank != 3)
            throw new InvalidDataException($"{imagesPath}: expected images (count x height x width) but the IDX array is {images.ShapeText}; " +
                                           "check that the file is an images file");
        if (labels.Rank != 1)
            throw new InvalidDataException($"{labelsPath}: expected labels (one dimension) but the IDX array is {labels.ShapeText}; " +
                                           "check that the file is a labels file");
        if (images.Dimensions[0] != labels.Dimensions[0])
            throw new InvalidDataException($"{imagesPath} holds {images.Dimensions[0]} images but {labelsPath} holds {labels.Dimensions[0]} labels; " +
                                           "the files do not belong together: delete both and fetch them again");
        var outOfRange = Array.FindIndex(labels.Data, label => label >= classCount);
        if (outOfRange >= 0)
            throw new InvalidDataException($"{labelsPath}: label {labels.Data[outOfRange]} at index {outOfRange} is outside 0..{classCount - 1}; " +
                                           "delete the file and fetch it again");
        return new LabelledImages(images.Data, labels.Data, images.Dimensions[1], images.Dimensions[2], classCount);
    }
}
