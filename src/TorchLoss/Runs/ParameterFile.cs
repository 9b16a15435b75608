using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Runs;

/// <summary>
/// Named tensors on disk: "TLPARAMS", format version, count, then per tensor its name, dtype, shape and
/// raw little-endian elements, closed by a SHA-256 of everything before it. Written to a temporary file and
/// renamed, so a crash never leaves a file that looks valid; read back with every field checked.
/// Version 2 writes libtorch's ScalarType codes; version 1 files (written before TorchLoss moved onto TorchSharp,
/// with the old binding's own dtype codes) are still read.
/// </summary>
public static class ParameterFile
{
    static readonly byte[] Magic = "TLPARAMS"u8.ToArray();
    const int FormatVersion = 2;

    // The old binding's dtype codes (format version 1), by code.
    static readonly ScalarType[] Version1Codes = [ScalarType.Float32, ScalarType.Float64, ScalarType.Int64, ScalarType.Byte, ScalarType.Bool, ScalarType.Int32];
    const int MaxRank = 16;
    /// <summary>Longer than any parameter name a TorchSharp module path gives here (layer12.weight, optimizer state keys).</summary>
    public const int MaxNameLength = 256;

    public static void Write(string path, IEnumerable<(string Name, Tensor Value)> tensors)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var list = tensors.ToList();
        AtomicFile.Write(full, file =>
        {
            using var hashing = new HashingStream(file);
            using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(FormatVersion);
                w.Write(list.Count);
                foreach (var (name, value) in list) WriteTensor(w, name, value);
            }
            file.Write(hashing.Hash());
        });
    }

    static void WriteTensor(BinaryWriter w, string name, Tensor value)
    {
        w.Write(name);
        var dtype = value.dtype;
        if (!Supported.Contains(dtype)) throw new ArgumentException($"tensor '{name}' has unsupported dtype {dtype}", nameof(value));
        w.Write((int)dtype);
        var shape = value.shape;
        w.Write(shape.Length);
        foreach (var d in shape) w.Write(d);
        using var host = value.detach().cpu().contiguous();
        var bytes = host.bytes;
        w.Write((long)bytes.Length);
        w.Write(bytes);
    }

    // Codes are libtorch's ScalarType values, as the files written before TorchSharp used.
    static readonly ScalarType[] Supported = [ScalarType.Float32, ScalarType.Float64, ScalarType.Int64, ScalarType.Int32, ScalarType.Byte, ScalarType.Bool];

    static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        _ => 1,
    };

    /// <summary>Reads every tensor (on the CPU); throws InvalidDataException naming the file and the fault.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        // Before opening: a FIFO would block the read forever, a directory would read as "access denied".
        FileKinds.RequireRegularFile(path, "parameter file");
        byte[] all;
        try { all = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read parameter file ({e.Message})");
        }
        if (all.Length < Magic.Length + 32 || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a TorchLoss parameter file");
        var body = all.AsSpan(0, all.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw new InvalidDataException($"{path}: checksum mismatch (file truncated or corrupt)");

        var result = new Dictionary<string, Tensor>();
        try
        {
            using var r = new BinaryReader(new MemoryStream(all, 0, body.Length), Encoding.UTF8);
            r.ReadBytes(Magic.Length);
            var version = r.ReadInt32();
            if (version is not (1 or FormatVersion)) throw new InvalidDataException($"{path}: unsupported format version {version}");
            var count = r.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var name = r.ReadString();
                if (NameProblem(name) is { } problem) throw new InvalidDataException($"{path}: tensor {i + 1} of {count} has {problem}");
                var tensor = ReadTensor(r, path, name, version);
                if (!result.TryAdd(name, tensor)) throw new InvalidDataException($"{path}: duplicate tensor '{name}'");
            }
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or OverflowException or FormatException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new InvalidDataException($"{path}: truncated parameter file");
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    static Tensor ReadTensor(BinaryReader r, string path, string name, int version)
    {
        var dtypeCode = r.ReadInt32();
        ScalarType dtype;
        if (version == 1 && dtypeCode >= 0 && dtypeCode < Version1Codes.Length) dtype = Version1Codes[dtypeCode];
        else if (version != 1 && Supported.Any(d => (int)d == dtypeCode)) dtype = (ScalarType)dtypeCode;
        else throw new InvalidDataException($"{path}: '{name}' has unknown dtype {dtypeCode}");
        var rank = r.ReadInt32();
        if (rank is < 0 or > MaxRank) throw new InvalidDataException($"{path}: '{name}' has invalid rank {rank}");
        var shape = new long[rank];
        long count = 1;
        for (var d = 0; d < rank; d++)
        {
            shape[d] = r.ReadInt64();
            if (shape[d] < 0) throw new InvalidDataException($"{path}: '{name}' has a negative dimension");
            if (count != 0 && shape[d] > long.MaxValue / ElementSize(dtype) / count)
                throw new InvalidDataException($"{path}: '{name}' has a shape [{string.Join(", ", shape[..(d + 1)])}, ...] too large for any tensor");
            count *= shape[d];
        }
        var length = r.ReadInt64();
        if (length != count * ElementSize(dtype))
            throw new InvalidDataException($"{path}: '{name}' holds {length} bytes but its shape needs {count * ElementSize(dtype)}");
        var bytes = r.ReadBytes(checked((int)length));
        if (bytes.Length != length) throw new EndOfStreamException();
        var tensor = torch.empty(shape, dtype);
        tensor.bytes = bytes;
        return tensor;
    }

    /// <summary>Why a tensor name read from a file is not one a module could have (the file's checksum only proves it
    /// is as written, not that its writer was TorchLoss), or null: names are echoed in messages and matched against a
    /// model's parameter names, so they are short, non-empty and printable.</summary>
    static string? NameProblem(string name) =>
        name.Length == 0 ? "an empty name"
        : name.Length > MaxNameLength ? $"a name of {name.Length} characters (at most {MaxNameLength})"
        : name.Any(char.IsControl) ? "a name with a control character"
        : null;

    /// <summary>Passes writes through while hashing them.</summary>
    sealed class HashingStream(Stream inner) : Stream
    {
        readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public byte[] Hash() => hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
