using TorchLoss.Data.Sources;

namespace TorchLoss.Data;

/// <summary>
/// The datasets under one data directory (one subdirectory per dataset): fetches them on first use and verifies them.
/// A trainer calls <see cref="Ensure"/> and loads the result; the CLI's data commands use the rest.
/// </summary>
public sealed class DatasetStore(string directory, DatasetManifest? manifest = null, SourceProvider? sources = null)
{
    const string DirectoryAdvice = $"pass --data-dir or set {DataDirectory.EnvironmentVariable} to a usable directory";

    readonly SourceProvider sources = sources ?? DatasetSources.FromManifest;

    public string Directory { get; } = Path.GetFullPath(directory);

    public DatasetManifest Manifest { get; } = manifest ?? DatasetManifest.Embedded;

    /// <summary>The store at --data-dir, $TORCHLOSS_DATA_DIR, the checkout's datasets/ or the user's data folder, in that order.</summary>
    public static DatasetStore AtDefaultLocation(string? explicitDirectory = null) => new(DataDirectory.Resolve(explicitDirectory));

    public string DirectoryOf(string dataset) => Path.Combine(Directory, dataset);

    /// <summary>Makes every file of the dataset present and verified, fetching what is missing or corrupt.</summary>
    public async Task<FetchReport> FetchAsync(string dataset, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var spec = Manifest.Get(dataset);
        var target = DirectoryOf(dataset);
        Create(target);
        var outcomes = await new DatasetFetcher(spec, target, sources(spec), progress).FetchAsync(cancellationToken);
        return new FetchReport(new DatasetFiles(spec, target), outcomes);
    }

    public async Task<DatasetFiles> EnsureAsync(string dataset, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        (await FetchAsync(dataset, progress, cancellationToken)).Files;

    public DatasetFiles Ensure(string dataset, IProgress<FetchProgress>? progress = null) =>
        EnsureAsync(dataset, progress).GetAwaiter().GetResult();

    /// <summary>Checks the size and SHA-256 of each of the dataset's files that is present.</summary>
    public IReadOnlyList<FileCheck> Verify(string dataset)
    {
        var spec = Manifest.Get(dataset);
        var target = DirectoryOf(dataset);
        EnsureReadable(target);
        return spec.Files.Select(file => FileCheck.Of(file, Path.Combine(target, file.Name))).ToArray();
    }

    void Create(string target)
    {
        EnsureReadable(target);
        try
        {
            System.IO.Directory.CreateDirectory(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirectoryException($"cannot create {target}: {e.Message}; {DirectoryAdvice}", e);
        }
    }

    void EnsureReadable(string target)
    {
        foreach (var path in new[] { Directory, target })
            if (File.Exists(path)) throw new DataDirectoryException($"{path} is a file, not a directory; {DirectoryAdvice}");
        if (!System.IO.Directory.Exists(target)) return;
        try
        {
            using var entries = System.IO.Directory.EnumerateFileSystemEntries(target).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirectoryException($"cannot read {target}: {e.Message}; {DirectoryAdvice}", e);
        }
    }
}
