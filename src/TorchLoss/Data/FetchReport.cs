namespace TorchLoss.Data;

public enum FetchAction { AlreadyPresent, Fetched, ReplacedCorrupt }

/// <summary>What a fetch did for one file: where it came from and which sources failed before that.
/// <see cref="ReplacedLinkTo"/>: the fetched file took the place of a symbolic link (dangling, or to a corrupt file)
/// that pointed there; the fetch never writes through a link, so that file is left as it was.</summary>
public sealed record FileFetchOutcome(DatasetFileSpec File, FetchAction Action, string? Source, IReadOnlyList<string> FailedSources,
    string? ReplacedLinkTo = null);

/// <summary>What a fetch did for a dataset; all its files are present and verified.</summary>
public sealed record FetchReport(DatasetFiles Files, IReadOnlyList<FileFetchOutcome> Outcomes);
