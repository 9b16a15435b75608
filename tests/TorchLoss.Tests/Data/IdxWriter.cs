using System.Buffers.Binary;
using System.IO.Compression;

namespace TorchLoss.Tests.Data;

/// <summary>Builds IDX files in memory for tests: valid ones, and broken ones by editing the bytes.</summary>
static class IdxWriter
{
    public static byte[] Write(int[] dimensions, byte[] data, byte elementType = 0x08)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = elementType;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    /// <summary>count images of height x width whose pixel (i, p) is (i * 7 + p * 3) mod 256.</summary>
    public static byte[] Images(int count, int height, int width) =>
        Write([count, height, width], Enumerable.Range(0, count * height * width)
            .Select(k => (byte)((k / (height * width) * 7 + k % (height * width) * 3) % 256)).ToArray());

    public static byte[] Labels(params byte[] labels) => Write([labels.Length], labels);

    public static byte[] Gzip(byte[] bytes)
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest)) gzip.Write(bytes);
        return compressed.ToArray();
    }
}
