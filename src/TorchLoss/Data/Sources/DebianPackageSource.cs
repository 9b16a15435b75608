namespace TorchLoss.Data.Sources;

/// <summary>
/// Copies files from an installed Debian package. When the package is missing and this process runs as root
/// (and <paramref name="mayInstall"/>), it runs apt-get to install it, once; otherwise the error says how to.
/// </summary>
public sealed class DebianPackageSource(string package, string pathTemplate, bool mayInstall = true) : IDatasetSource
{
    const string AptGet = "/usr/bin/apt-get";
    static readonly TimeSpan aptTimeout = TimeSpan.FromMinutes(5);

    bool installTried;

    public string Description => $"Debian package {package}";

    public async Task<Stream> OpenAsync(DatasetFileSpec file, CancellationToken cancellationToken)
    {
        var path = TemplatePath.Expand(pathTemplate, file);
        if (!File.Exists(path) && mayInstall && !installTried && Environment.IsPrivilegedProcess && File.Exists(AptGet))
        {
            installTried = true;
            await InstallAsync(cancellationToken);
        }
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: install the package with `apt-get install {package}` (as root)");
        return TemplatePath.Uncompressed(File.OpenRead(path), path);
    }

    async Task InstallAsync(CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        string[] install = ["install", "-y", "-q", "--no-install-recommends", package];
        var result = await ProcessRunner.RunAsync(AptGet, install, null, aptTimeout, cancellationToken, environment);
        if (result.ExitCode == 0) return;
        // A fresh system often has no package lists yet: refresh them and try once more.
        await ProcessRunner.RunAsync(AptGet, ["update", "-q"], null, aptTimeout, cancellationToken, environment);
        result = await ProcessRunner.RunAsync(AptGet, install, null, aptTimeout, cancellationToken, environment);
        if (result.ExitCode != 0)
            throw new IOException($"apt-get install {package} failed: {result.LastErrorLine}");
    }
}
