using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

/// <summary>
/// Facts and theories that run only when MNIST's files are in the default data directory and are reported as
/// skipped otherwise (xunit 2 decides skips when it discovers tests, so the check happens here). Never fetches.
/// </summary>
internal static class MnistPresence
{
    public static string? SkipReason()
    {
        var directory = DatasetStore.AtDefaultLocation().DirectoryOf("mnist");
        var missing = DatasetManifest.Embedded.Get("mnist").Files.Any(f => !File.Exists(Path.Combine(directory, f.Name)));
        return missing ? $"MNIST not present in {directory}; run scripts/torchloss data fetch mnist" : null;
    }
}

public sealed class MnistPresentFactAttribute : FactAttribute
{
    public MnistPresentFactAttribute() => Skip = MnistPresence.SkipReason();
}

public sealed class MnistPresentTheoryAttribute : TheoryAttribute
{
    public MnistPresentTheoryAttribute() => Skip = MnistPresence.SkipReason();
}
