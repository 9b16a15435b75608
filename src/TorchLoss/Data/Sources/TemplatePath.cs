using System.IO.Compression;

namespace TorchLoss.Data.Sources;

/// <summary>Helpers for the manifest's "{file}" templates.</summary>
static class TemplatePath
{
    public static string Expand(string template, DatasetFileSpec file) => template.Replace(SourceSpec.FilePlaceholder, file.Name);

    public static bool IsGzip(string location) => location.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Wraps <paramref name="stream"/> in a decompressor when <paramref name="location"/> names a .gz file.</summary>
    public static Stream Uncompressed(Stream stream, string location) =>
        IsGzip(location) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
}
