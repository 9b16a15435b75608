namespace TorchLoss.Data;

/// <summary>No source could provide a verified copy of a dataset file; the message lists what was tried.</summary>
public sealed class DatasetUnavailableException(string message) : IOException(message);

/// <summary>The data directory cannot be created, read or written.</summary>
public sealed class DataDirectoryException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>A fetch stopped on request. Its partial download is deleted; <see cref="Kept"/> lists the files it had already
/// fetched and verified (they stay, each complete), and the message says so in one line.</summary>
public sealed class DatasetFetchCancelledException(IReadOnlyList<FileFetchOutcome> kept, CancellationToken token)
    : OperationCanceledException(Describe(kept), token)
{
    public IReadOnlyList<FileFetchOutcome> Kept { get; } = kept;

    static string Describe(IReadOnlyList<FileFetchOutcome> kept) => kept.Count == 0
        ? "data fetch cancelled; nothing was changed"
        : $"data fetch cancelled; kept the {kept.Count} file(s) already fetched and verified ({string.Join(", ", kept.Select(o => o.File.Name))})";
}
