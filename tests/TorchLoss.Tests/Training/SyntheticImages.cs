using TorchLoss.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Training;

/// <summary>Small learnable image sets: class c lights up row c of a 6x6 image, plus noise.</summary>
internal static class SyntheticImages
{
    public const int Side = 6;

    public static LabelledImages Make(int count, int classes, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * Side * Side];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var label = (byte)(i % classes);
            labels[i] = label;
            for (var p = 0; p < Side * Side; p++)
            {
                var lit = p / Side == label;
                pixels[i * Side * Side + p] = (byte)Math.Clamp((lit ? 170 : 40) + random.Next(-40, 41), 0, 255);
            }
        }
        return new LabelledImages(pixels, labels, Side, Side, classes);
    }

    public static ClassificationData Data(int train = 400, int test = 100, int classes = 4, int validation = 100, string? binary = null) =>
        ClassificationData.Create(Make(train, classes, 1), Make(test, classes, 2),
            new DataOptions { ValidationSize = validation, Binary = binary is null ? null : BinaryTask.Parse(binary) }, torch.CPU);
}
