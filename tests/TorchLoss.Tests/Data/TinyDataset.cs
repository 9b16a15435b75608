using System.Security.Cryptography;
using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

/// <summary>
/// A small MNIST-shaped dataset ("tiny": 4x3 images, 10 classes, label i mod 10) whose manifest entry lists the
/// checksums of whatever bytes a test chooses, so broken files can pass the checksum and reach the IDX checks.
/// </summary>
static class TinyDataset
{
    public const string Name = "tiny";
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";
    public const int Height = 4;
    public const int Width = 3;

    public static Dictionary<string, byte[]> Files(int trainCount = 30, int testCount = 10) => new()
    {
        [TrainImages] = IdxWriter.Images(trainCount, Height, Width),
        [TrainLabels] = IdxWriter.Labels(CyclicLabels(trainCount)),
        [TestImages] = IdxWriter.Images(testCount, Height, Width),
        [TestLabels] = IdxWriter.Labels(CyclicLabels(testCount)),
    };

    public static byte[] CyclicLabels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();

    public static DatasetSpec Spec(IReadOnlyDictionary<string, byte[]> files) => new(
        Name,
        "tiny test dataset",
        Enumerable.Range(0, 10).Select(c => $"c{c}").ToArray(),
        files.Select(f => new DatasetFileSpec(f.Key, f.Value.Length, Convert.ToHexStringLower(SHA256.HashData(f.Value)))).ToArray(),
        [new SourceSpec(SourceSpec.Https, Url: "https://example.invalid/{file}.gz")],
        new SplitFiles(TrainImages, TrainLabels),
        new SplitFiles(TestImages, TestLabels));

    public static DatasetManifest Manifest(IReadOnlyDictionary<string, byte[]> files) => new([Spec(files)]);

    /// <summary>Writes the files into &lt;dataDirectory&gt;/tiny/.</summary>
    public static void WriteTo(string dataDirectory, IReadOnlyDictionary<string, byte[]> files)
    {
        var directory = Directory.CreateDirectory(Path.Combine(dataDirectory, Name));
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(directory.FullName, name), bytes);
    }
}
