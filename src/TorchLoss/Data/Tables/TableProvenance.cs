namespace TorchLoss.Data.Tables;

/// <summary>How a table became a run's splits, for config.json: the files and their SHA-256, the columns used, the label
/// value each class index stands for, and the split seed that, with the same files, gives the same examples again.
/// <see cref="Header"/> and the hashes are null in runs recorded before they were (and for data not read from files).</summary>
public sealed record TableProvenance(
    string File,
    string? TestFile,
    string LabelColumn,
    IReadOnlyList<string> FeatureColumns,
    IReadOnlyList<string> LabelValues,
    ulong SplitSeed,
    int TrainRows,
    int ValidationRows,
    int TestRows,
    TableHeader? Header = null,
    string? FileSha256 = null,
    string? TestFileSha256 = null)
{
    /// <summary>Hex digits of a hash that messages show.</summary>
    const int ShortHash = 12;

    /// <summary>Why <paramref name="current"/> is other data than a run <paramref name="recorded"/> (a file whose contents
    /// changed: named, with both hashes); null when the files are the same, or a hash to compare is missing.</summary>
    public static string? Change(TableProvenance? recorded, TableProvenance? current)
    {
        if (recorded is null || current is null) return null;
        return Differs(recorded.FileSha256, current.FileSha256, current.File)
               ?? Differs(recorded.TestFileSha256, current.TestFileSha256, current.TestFile ?? recorded.TestFile);
    }

    static string? Differs(string? then, string? now, string? file) =>
        then is null || now is null || then == now ? null
            : $"{file} changed since the run was trained (sha256 {Short(then)} then, {Short(now)} now)";

    static string Short(string hash) => hash.Length > ShortHash ? hash[..ShortHash] : hash;
}
