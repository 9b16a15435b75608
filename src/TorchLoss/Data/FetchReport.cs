namespace TorchLoss.Data;

public enum FetchAction { AlreadyPresent, Fetched, ReplacedCorrupt }

/// <summary>What a fetch did for one file: where it came from and which sources failed before that.</summary>
public sealed record FileFetchOutcome(DatasetFileSpec File, FetchAction Action, string? Source, IReadOnlyList<string> FailedSources);

/// <summary>What a fetch did for a dataset; all its files are present and verified.</summary>
public sealed record FetchReport(DatasetFiles Files, IReadOnlyList<FileFetchOutcome> Outcomes);
