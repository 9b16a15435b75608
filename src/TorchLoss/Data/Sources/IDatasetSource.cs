namespace TorchLoss.Data.Sources;

/// <summary>A place a dataset's files can come from. The fetcher verifies whatever it provides.</summary>
public interface IDatasetSource
{
    /// <summary>Names the source in progress lines and error messages (e.g. a URL template).</summary>
    string Description { get; }

    /// <summary>Opens the uncompressed bytes of <paramref name="file"/>; throws when this source cannot provide it.</summary>
    Task<Stream> OpenAsync(DatasetFileSpec file, CancellationToken cancellationToken);
}

/// <summary>Chooses the sources for a dataset; the default reads them from the manifest, tests inject their own.</summary>
public delegate IReadOnlyList<IDatasetSource> SourceProvider(DatasetSpec dataset);
