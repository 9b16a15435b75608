using System.Reflection;
using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Packaging;

/// <summary>
/// The packages `dotnet pack` makes from this checkout (TorchLoss, TorchLoss.Fused, and the tool TorchLoss.Cli with its
/// RID package) in a temporary folder used as a NuGet source, built under that folder (--artifacts-path), so the
/// checkout's bin/ and obj/, which other tests run from, stay untouched. The version is unique to this run, so neither
/// the tool install nor a consumer's restore can pick up a copy cached by an earlier run; on dispose the folder and this
/// version's copies in the NuGet global packages folder are deleted.
/// </summary>
public sealed class PackedSource : IDisposable
{
    static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    readonly TempDirectory directory = new();

    public PackedSource()
    {
        Version = $"1.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Directory.CreateDirectory(Source);
        // The tool first: its build compiles the libraries too, so their packs only pack.
        foreach (var project in new[] { "src/TorchLoss.Cli", "src/TorchLoss", "src/TorchLoss.Fused" })
            ChildProcess.Succeed(ChildProcess.Dotnet,
                ["pack", Path.Combine(RepoRoot, project), "-c", "Release", "-nologo", "-v", "q", "--artifacts-path", this["build"],
                 $"-p:PackageVersion={Version}", "-o", Source], RepoRoot, PackTimeout);
        // Only this source: everything else the restores need is in the global packages folder since this checkout's
        // own restore, so no registry is asked for these names.
        File.WriteAllText(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{Source}" />
              </packageSources>
            </configuration>
            """);
    }

    public static string RepoRoot => typeof(PackedSource).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>NUGET_PACKAGES, or NuGet's default ~/.nuget/packages.</summary>
    public static string GlobalPackages => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The packages' version, e.g. 1.0.0-test.20261202110500.4242.</summary>
    public string Version { get; }

    /// <summary>The folder holding the .nupkg files.</summary>
    public string Source => this["source"];

    /// <summary>A nuget.config whose only source is <see cref="Source"/>.</summary>
    public string NuGetConfig => this["nuget.config"];

    /// <summary>A path inside the temporary folder.</summary>
    public string this[string relative] => directory[relative];

    public string[] Packages => Directory.GetFiles(Source, "*.nupkg").Select(Path.GetFileName).Order().ToArray()!;

    public void Dispose()
    {
        directory.Dispose();
        foreach (var id in new[] { "torchloss", "torchloss.fused" })
        {
            var versions = Path.Combine(GlobalPackages, id);
            var cached = Path.Combine(versions, Version.ToLowerInvariant());
            if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            if (Directory.Exists(versions) && !Directory.EnumerateFileSystemEntries(versions).Any()) Directory.Delete(versions);
        }
    }
}
