using System.Security.Cryptography;
using TorchLoss.Data.Sources;

namespace TorchLoss.Data;

/// <summary>
/// Makes every file of a dataset present and verified: a file already there with the right checksum is kept;
/// otherwise the sources are tried in order. Each download goes to a temporary file in the same directory that is
/// renamed into place only after its size and SHA-256 match, so no interrupted or corrupt fetch looks valid.
/// A symbolic link counts by the file it points to; one that dangles or points to a corrupt file is replaced by the
/// download itself, never written through, so nothing outside the dataset's directory changes.
/// </summary>
sealed class DatasetFetcher(DatasetSpec dataset, string directory, IReadOnlyList<IDatasetSource> sources, IProgress<FetchProgress>? progress)
{
    const int CopyBufferSize = 1 << 16;

    // A source that failed once is not asked again for this dataset: a mirror that is down would otherwise cost
    // its timeout for every file.
    readonly HashSet<IDatasetSource> failedSources = new();
    readonly List<string> failures = new();

    public async Task<IReadOnlyList<FileFetchOutcome>> FetchAsync(CancellationToken cancellationToken)
    {
        var outcomes = new List<FileFetchOutcome>();
        try
        {
            foreach (var file in dataset.Files)
                outcomes.Add(await FetchFileAsync(file, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new DatasetFetchCancelledException(outcomes.Where(o => o.Action != FetchAction.AlreadyPresent).ToArray(), cancellationToken);
        }
        return outcomes;
    }

    async Task<FileFetchOutcome> FetchFileAsync(DatasetFileSpec file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, file.Name);
        var existing = FileCheck.Of(file, path);
        if (existing.State == FileState.Ok) return new FileFetchOutcome(file, FetchAction.AlreadyPresent, null, []);
        if (Directory.Exists(path))
            throw new DataDirectoryException($"{path} is a directory where a dataset file belongs; remove it and fetch again");
        // A file this process may not read (permissions, a loop of links) is not replaced: the user's file is left as it is.
        if (existing.State == FileState.Unreadable)
            throw new DataDirectoryException($"cannot read {path}: {existing.Problem}; fix its permissions, or remove it and fetch again");
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var source in sources)
        {
            if (failedSources.Contains(source)) continue;
            try
            {
                await WriteVerifiedAsync(source, file, path, cancellationToken);
                var action = existing.State == FileState.Missing ? FetchAction.Fetched : FetchAction.ReplacedCorrupt;
                return new FileFetchOutcome(file, action, source.Description, failures.ToArray(), existing.LinkTarget);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            // Whatever a source throws (network, process, archive, checksum), the next source deserves its turn.
            catch (Exception e)
            {
                failedSources.Add(source);
                failures.Add($"{source.Description} ({OneLine(e.Message)})");
            }
        }
        throw new DatasetUnavailableException(
            $"could not fetch {dataset.Name} file {file.Name} into {directory}: " +
            (failures.Count == 0 ? "no sources are listed" : $"tried {string.Join("; ", failures)}") +
            $"; check the network, or copy a verified {file.Name} into {directory} yourself and check it with `torchloss data verify`");
    }

    async Task WriteVerifiedAsync(IDatasetSource source, DatasetFileSpec file, string path, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(directory, $".{file.Name}.{Guid.NewGuid():N}.part");
        try
        {
            await using (var input = await source.OpenAsync(file, cancellationToken))
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize))
            {
                var sha256 = await CopyHashingAsync(input, output, file, source, cancellationToken);
                output.Flush(flushToDisk: true);
                if (sha256 != file.Sha256)
                    throw new InvalidDataException($"checksum mismatch: sha256 {sha256} where {file.Sha256} is expected");
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    async Task<string> CopyHashingAsync(Stream input, Stream output, DatasetFileSpec file, IDatasetSource source, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferSize];
        long written = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            written += read;
            if (written > file.Bytes)
                throw new InvalidDataException($"more than the {file.Bytes} bytes the manifest lists");
            hash.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            progress?.Report(new FetchProgress(dataset.Name, file.Name, source.Description, written, file.Bytes));
        }
        if (written != file.Bytes)
            throw new InvalidDataException($"{written} bytes where the manifest lists {file.Bytes}");
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
