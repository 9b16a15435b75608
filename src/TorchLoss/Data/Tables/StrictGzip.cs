using System.IO.Compression;

namespace TorchLoss.Data.Tables;

/// <summary>
/// Decompresses .gz files so that one cut short is an error. .NET's GZipStream ends a truncated stream as if it were
/// whole (a .csv.gz cut at a line boundary gave half its rows) unless the runtime switch
/// System.IO.Compression.UseStrictValidation is on (dotnet/runtime#47563); DeflateStream reads it once, when first
/// used. This repository's programs set it in their runtimeconfig (Directory.Build.targets); in another host it is
/// turned on here unless the host chose, and a probe checks that it took effect before any table is read.
/// </summary>
static class StrictGzip
{
    public const string Switch = "System.IO.Compression.UseStrictValidation";

    static readonly bool DetectsTruncation = TurnOn();

    public static Stream Decompress(Stream compressed, string path)
    {
        if (!DetectsTruncation)
        {
            compressed.Dispose();
            throw new TableFormatException($"{path}: this process cannot tell a cut .gz file from a whole one ({Switch} is off); " +
                                           "decompress the file and give the plain one");
        }
        return new GZipStream(compressed, CompressionMode.Decompress);
    }

    static bool TurnOn()
    {
        if (!AppContext.TryGetSwitch(Switch, out _)) AppContext.SetSwitch(Switch, true);
        using var whole = new MemoryStream();
        using (var gzip = new GZipStream(whole, CompressionLevel.Fastest, leaveOpen: true)) gzip.WriteByte(1);
        var cut = whole.ToArray()[..^4]; // without the trailer's length
        try
        {
            using var reader = new GZipStream(new MemoryStream(cut), CompressionMode.Decompress);
            reader.CopyTo(Stream.Null);
            return false;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }
}
