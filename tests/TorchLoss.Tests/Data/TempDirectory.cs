namespace TorchLoss.Tests.Data;

/// <summary>A fresh directory under the system's temp folder, deleted with everything in it on dispose.</summary>
sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("torchloss-test-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Every file below the directory, relative to it (hidden and temporary ones included).</summary>
    public string[] Files() =>
        Directory.GetFiles(Path, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(Path, f)).Order().ToArray();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
