using TorchLoss.Data;
using TorchLoss.Data.Sources;

namespace TorchLoss.Cli.Commands;

/// <summary>What the data commands work with; tests replace the manifest, the sources and the output.</summary>
/// <param name="Sources">null: the sources the manifest lists.</param>
/// <param name="ShowProgress">draw download progress bars on stderr.</param>
public sealed record DataCommandServices(DatasetManifest Manifest, SourceProvider? Sources, TextWriter Output, bool ShowProgress)
{
    public static DataCommandServices Default() => new(DatasetManifest.Embedded, null, Console.Out, !Console.IsErrorRedirected);

    public DatasetStore Store(string? dataDirectory) => new(DataDirectory.Resolve(dataDirectory), Manifest, Sources);
}
