using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

/// <summary>
/// A fact that runs only when MNIST's files are in the default data directory and is reported as skipped otherwise
/// (xunit 2 decides skips when it discovers tests, so the check happens here). It never fetches.
/// </summary>
public sealed class MnistPresentFactAttribute : FactAttribute
{
    public MnistPresentFactAttribute()
    {
        var directory = DatasetStore.AtDefaultLocation().DirectoryOf("mnist");
        var missing = DatasetManifest.Embedded.Get("mnist").Files.Any(f => !File.Exists(Path.Combine(directory, f.Name)));
        if (missing) Skip = $"MNIST not present in {directory}; run torchloss data fetch";
    }
}
