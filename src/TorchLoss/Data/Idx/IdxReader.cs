using System.Buffers.Binary;
using System.IO.Compression;

namespace TorchLoss.Data.Idx;

/// <summary>
/// Reads IDX files (the MNIST format), raw or gzip-compressed (recognised by gzip's magic bytes, not by the name).
/// Only unsigned-byte data (type 0x08) is accepted. The file must hold exactly the bytes its header promises.
/// </summary>
public static class IdxReader
{
    public const byte UnsignedByte = 0x08;

    const string Advice = "delete the file and fetch it again";

    public static IdxArray Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        return Read(stream, path);
    }

    /// <summary>Reads an uncompressed IDX stream to its end; <paramref name="name"/> names it in error messages.</summary>
    public static IdxArray Read(Stream stream, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        var got = ReadUpTo(stream, magic, name);
        if (got < magic.Length)
            throw new InvalidDataException($"{name}: truncated: {got} byte(s), too short for an IDX header; {Advice}");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{name}: not an IDX file: it starts with {Convert.ToHexString(magic)} " +
                                           $"instead of 0000 followed by type and rank; {Advice}");
        if (magic[2] != UnsignedByte)
            throw new InvalidDataException($"{name}: IDX element type 0x{magic[2]:X2} ({TypeName(magic[2])}) is not supported: " +
                                           $"MNIST-style data must be unsigned bytes (0x{UnsignedByte:X2})");
        int rank = magic[3];
        if (rank == 0) throw new InvalidDataException($"{name}: IDX rank 0 is not supported (expected 1 or more dimensions); {Advice}");

        var dimensions = ReadDimensions(stream, rank, name);
        var data = new byte[DataLength(dimensions, name)];
        got = ReadUpTo(stream, data, name);
        if (got < data.Length)
            throw new InvalidDataException($"{name}: truncated: the header promises {data.Length} data bytes " +
                                           $"({string.Join(" x ", dimensions)}) but only {got} follow; {Advice}");
        var trailing = CountRemaining(stream, name);
        if (trailing > 0)
            throw new InvalidDataException($"{name}: {trailing} unexpected byte(s) after the {data.Length} data bytes " +
                                           $"({string.Join(" x ", dimensions)}) the header promises; {Advice}");
        return new IdxArray(dimensions, data);
    }

    static bool IsGzip(FileStream file)
    {
        Span<byte> head = stackalloc byte[2];
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }

    static int[] ReadDimensions(Stream stream, int rank, string name)
    {
        var header = new byte[4 * rank];
        if (ReadUpTo(stream, header, name) < header.Length)
            throw new InvalidDataException($"{name}: truncated: the header announces {rank} dimension(s) but ends before listing them; {Advice}");
        var dimensions = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * i));
            if (size > int.MaxValue)
                throw new InvalidDataException($"{name}: dimension {i} has an impossible size {size}; {Advice}");
            dimensions[i] = (int)size;
        }
        return dimensions;
    }

    static int DataLength(int[] dimensions, string name)
    {
        long length = 1;
        foreach (var size in dimensions)
        {
            length *= size;
            if (length > Array.MaxLength)
                throw new InvalidDataException($"{name}: the header's dimensions ({string.Join(" x ", dimensions)}) are too large to load");
        }
        return (int)length;
    }

    /// <summary>Reads until the buffer is full or the stream ends; returns the count read.</summary>
    static int ReadUpTo(Stream stream, Span<byte> buffer, string name)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: corrupt gzip data ({e.Message}); {Advice}", e);
        }
    }

    static long CountRemaining(Stream stream, string name)
    {
        var buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = ReadUpTo(stream, buffer, name)) > 0) total += n;
        return total;
    }

    static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown type",
    };
}
