namespace TorchLoss.Data.Tables;

/// <summary>How a table became a run's splits, for config.json: the files, the columns used, the label value each
/// class index stands for, and the split seed that, with the same files, gives the same examples again.</summary>
public sealed record TableProvenance(
    string File,
    string? TestFile,
    string LabelColumn,
    IReadOnlyList<string> FeatureColumns,
    IReadOnlyList<string> LabelValues,
    ulong SplitSeed,
    int TrainRows,
    int ValidationRows,
    int TestRows);
