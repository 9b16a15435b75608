using TorchLoss.Data.Tables;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Data;

/// <summary>A dataset whose files are present and verified in <see cref="Directory"/>.</summary>
public sealed record DatasetFiles(DatasetSpec Spec, string Directory)
{
    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public LabelledImages LoadTrain() => Load(Spec.Train ?? throw NotImages());

    public LabelledImages LoadTest() => Load(Spec.Test ?? throw NotImages());

    /// <summary>A table dataset's file.</summary>
    public TableFile TableFile => new(PathOf((Spec.Table ?? throw new InvalidOperationException($"{Spec.Name} is not a table")).File), ',');

    /// <summary>Reads the splits and puts them on <paramref name="device"/> as <paramref name="options"/> say; a table
    /// is split as <paramref name="split"/> says (its test fraction and split seed).</summary>
    public ClassificationData Load(DataOptions options, Device device, TableOptions? split = null) => Spec.Table is { } table
        ? TableData.Load(TableFile, table.Options(split ?? new TableOptions()), options, device, Spec.Classes)
        : ClassificationData.Create(LoadTrain(), LoadTest(), options, device, Spec.Classes);

    LabelledImages Load(SplitFiles split) => LabelledImages.Load(PathOf(split.Images), PathOf(split.Labels), Spec.Classes.Count);

    InvalidOperationException NotImages() => new($"{Spec.Name} is a table, not image files");
}
