using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Data;

/// <summary>A dataset whose files are present and verified in <see cref="Directory"/>.</summary>
public sealed record DatasetFiles(DatasetSpec Spec, string Directory)
{
    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public LabelledImages LoadTrain() => Load(Spec.Train);

    public LabelledImages LoadTest() => Load(Spec.Test);

    /// <summary>Reads both splits and puts them on <paramref name="device"/> as <paramref name="options"/> say.</summary>
    public ClassificationData Load(DataOptions options, Device device) =>
        ClassificationData.Create(LoadTrain(), LoadTest(), options, device, Spec.Classes);

    LabelledImages Load(SplitFiles split) => LabelledImages.Load(PathOf(split.Images), PathOf(split.Labels), Spec.Classes.Count);
}
