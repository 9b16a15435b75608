using System.Text.Json;
using System.Text.RegularExpressions;

namespace TorchLoss.Data;

/// <summary>
/// The list of known datasets (datasets/manifest.json). The file is embedded in this assembly, so the CLI
/// and tests find it wherever they run.
/// </summary>
public sealed partial record DatasetManifest(IReadOnlyList<DatasetSpec> Datasets)
{
    public const string ResourceName = "TorchLoss.Data.manifest.json";

    static readonly Lazy<DatasetManifest> embedded = new(LoadEmbedded);

    static readonly JsonSerializerOptions jsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static DatasetManifest Embedded => embedded.Value;

    public IEnumerable<string> Names => Datasets.Select(d => d.Name);

    public DatasetSpec Get(string name) =>
        Datasets.FirstOrDefault(d => d.Name == name)
        ?? throw new FormatException($"unknown dataset '{name}'; known datasets: {string.Join(", ", Names)}");

    /// <summary>Parses and checks a manifest; <paramref name="origin"/> names it in error messages.</summary>
    public static DatasetManifest Parse(string json, string origin)
    {
        ManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ManifestDocument>(json, jsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: not a valid dataset manifest: {e.Message}");
        }
        if (document is null) throw new InvalidDataException($"{origin}: the manifest is empty");
        if (document.Version != 1) throw new InvalidDataException($"{origin}: manifest version {document.Version} is not supported (expected 1)");
        var manifest = new DatasetManifest(document.Datasets);
        manifest.Validate(origin);
        return manifest;
    }

    void Validate(string origin)
    {
        var names = new HashSet<string>();
        foreach (var dataset in Datasets)
        {
            void Fail(string problem) => throw new InvalidDataException($"{origin}: dataset '{dataset.Name}': {problem}");
            if (!names.Add(dataset.Name)) Fail("listed twice");
            if (dataset.Classes.Count < 2) Fail("needs at least two classes");
            var files = dataset.Files.Select(f => f.Name).ToHashSet();
            foreach (var file in dataset.Files)
            {
                if (!Sha256Hex().IsMatch(file.Sha256)) Fail($"file {file.Name}: sha256 must be 64 lower-case hex digits");
                if (file.Bytes <= 0) Fail($"file {file.Name}: bytes must be positive");
                if (file.Name.Contains('/') || file.Name.Contains('\\') || file.Name.StartsWith('.')) Fail($"file {file.Name}: not a plain file name");
            }
            string[] splitFiles = dataset switch
            {
                { Table: { } table, Train: null, Test: null } => [table.File],
                { Table: null, Train: { } train, Test: { } test } => [train.Images, train.Labels, test.Images, test.Labels],
                _ => throw new InvalidDataException($"{origin}: dataset '{dataset.Name}': give either train and test image files or a table"),
            };
            foreach (var name in splitFiles)
                if (!files.Contains(name)) Fail($"split file {name} is not among its files");
            if (dataset.Table is { SkipRows: < 0 }) Fail("skipRows must be >= 0");
            foreach (var source in dataset.Sources)
            {
                var complete = source.Kind switch
                {
                    SourceSpec.Https => HasPlaceholder(source.Url),
                    SourceSpec.Npm or SourceSpec.Debian or SourceSpec.DebianArchive => source.Package is not null && HasPlaceholder(source.Path),
                    _ => throw new InvalidDataException($"{origin}: dataset '{dataset.Name}': unknown source kind '{source.Kind}'"),
                };
                if (!complete)
                    Fail($"a {source.Kind} source needs {(source.Kind == SourceSpec.Https ? "a url" : "a package and a path")} containing {SourceSpec.FilePlaceholder}");
            }
        }
    }

    static bool HasPlaceholder(string? template) => template?.Contains(SourceSpec.FilePlaceholder) == true;

    static DatasetManifest LoadEmbedded()
    {
        using var stream = typeof(DatasetManifest).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from {typeof(DatasetManifest).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "embedded datasets/manifest.json");
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    sealed record ManifestDocument(int Version, IReadOnlyList<DatasetSpec> Datasets);
}
