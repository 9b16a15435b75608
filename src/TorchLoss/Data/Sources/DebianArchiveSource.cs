namespace TorchLoss.Data.Sources;

/// <summary>
/// Takes files out of a Debian package without installing it: the installed copy when the package is installed, else
/// `apt-get download` fetches its .deb (once per source, kept in memory) and `dpkg-deb -x` unpacks it into a temporary
/// directory that is deleted as soon as the file is read. No root is needed unless the package lists must be refreshed.
/// </summary>
public sealed class DebianArchiveSource(string package, string pathTemplate) : IDatasetSource
{
    const string AptGet = "/usr/bin/apt-get", DpkgDeb = "/usr/bin/dpkg-deb";
    static readonly TimeSpan timeout = TimeSpan.FromMinutes(5);

    byte[]? archive;

    public string Description => $"Debian package {package} (its archive)";

    public async Task<Stream> OpenAsync(DatasetFileSpec file, CancellationToken cancellationToken)
    {
        var path = TemplatePath.Expand(pathTemplate, file);
        if (File.Exists(path)) return TemplatePath.Uncompressed(File.OpenRead(path), path);
        archive ??= await DownloadAsync(cancellationToken);
        var directory = Directory.CreateTempSubdirectory("torchloss-deb-");
        try
        {
            var deb = Path.Combine(directory.FullName, "package.deb");
            await File.WriteAllBytesAsync(deb, archive, cancellationToken);
            var unpacked = Path.Combine(directory.FullName, "root");
            var result = await ProcessRunner.RunAsync(DpkgDeb, ["-x", deb, unpacked], null, timeout, cancellationToken);
            if (result.ExitCode != 0) throw new IOException($"dpkg-deb -x {package} failed: {result.LastErrorLine}");
            var inside = Path.Combine(unpacked, path.TrimStart('/'));
            if (!File.Exists(inside)) throw new FileNotFoundException($"{package} has no {path}");
            return TemplatePath.Uncompressed(new MemoryStream(await File.ReadAllBytesAsync(inside, cancellationToken)), path);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    async Task<byte[]> DownloadAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("torchloss-deb-");
        try
        {
            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            string[] download = ["download", "-q", package];
            var result = await ProcessRunner.RunAsync(AptGet, download, directory.FullName, timeout, cancellationToken, environment);
            if (result.ExitCode != 0 && Environment.IsPrivilegedProcess)
            {
                // A fresh system often has no package lists yet: refresh them and try once more.
                await ProcessRunner.RunAsync(AptGet, ["update", "-q"], null, timeout, cancellationToken, environment);
                result = await ProcessRunner.RunAsync(AptGet, download, directory.FullName, timeout, cancellationToken, environment);
            }
            if (result.ExitCode != 0) throw new IOException($"apt-get download {package} failed: {result.LastErrorLine}");
            var debs = directory.GetFiles("*.deb");
            if (debs.Length != 1) throw new IOException($"apt-get download {package} produced {debs.Length} archives instead of one");
            return await File.ReadAllBytesAsync(debs[0].FullName, cancellationToken);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
