using System.Security.Cryptography;
using System.Runtime.InteropServices;
using System.Text;

namespace TorchLoss.Torch.NN;

/// <summary>
/// Named tensors on disk: "TLPARAMS", format version, count, then per tensor its name, dtype, shape and
/// raw little-endian elements, closed by a SHA-256 of everything before it. Written to a temporary file and
/// renamed, so a crash never leaves a file that looks valid; read back with every field checked.
/// </summary>
public static class ParameterFile
{
    static readonly byte[] Magic = "TLPARAMS"u8.ToArray();
    const int FormatVersion = 1;
    const int MaxRank = 16;

    public static void Write(string path, IEnumerable<(string Name, Tensor Value)> tensors)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.tmp-{Environment.ProcessId}";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
            using (var hashing = new HashingStream(file))
            {
                var list = tensors.ToList();
                using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(Magic);
                    w.Write(FormatVersion);
                    w.Write(list.Count);
                    foreach (var (name, value) in list) WriteTensor(w, name, value);
                }
                file.Write(hashing.Hash());
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    static void WriteTensor(BinaryWriter w, string name, Tensor value)
    {
        w.Write(name);
        var dtype = value.DType;
        w.Write((int)dtype);
        var shape = value.Shape;
        w.Write(shape.Length);
        foreach (var d in shape) w.Write(d);
        var bytes = new byte[value.NumEl * dtype.ElementSize()];
        CopyBytes(value, bytes);
        w.Write(bytes.LongLength);
        w.Write(bytes);
    }

    static void CopyBytes(Tensor value, byte[] bytes)
    {
        switch (value.DType)
        {
            case DType.Float32: Reinterpret<float>(value, bytes); break;
            case DType.Float64: Reinterpret<double>(value, bytes); break;
            case DType.Int64: Reinterpret<long>(value, bytes); break;
            case DType.Int32: Reinterpret<int>(value, bytes); break;
            case DType.UInt8: value.CopyTo<byte>(bytes); break;
            case DType.Bool: Reinterpret<bool>(value, bytes); break;
        }
    }

    static void Reinterpret<T>(Tensor value, byte[] bytes) where T : unmanaged =>
        value.CopyTo(MemoryMarshal.Cast<byte, T>(bytes.AsSpan()));

    /// <summary>Reads every tensor (on the CPU); throws InvalidDataException naming the file and the fault.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
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
            if (version != FormatVersion) throw new InvalidDataException($"{path}: unsupported format version {version}");
            var count = r.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var name = r.ReadString();
                var tensor = ReadTensor(r, path, name);
                if (!result.TryAdd(name, tensor)) throw new InvalidDataException($"{path}: duplicate tensor '{name}'");
            }
            return result;
        }
        catch (EndOfStreamException)
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

    static Tensor ReadTensor(BinaryReader r, string path, string name)
    {
        var dtypeCode = r.ReadInt32();
        if (!Enum.IsDefined(typeof(DType), dtypeCode)) throw new InvalidDataException($"{path}: '{name}' has unknown dtype {dtypeCode}");
        var dtype = (DType)dtypeCode;
        var rank = r.ReadInt32();
        if (rank is < 0 or > MaxRank) throw new InvalidDataException($"{path}: '{name}' has invalid rank {rank}");
        var shape = new long[rank];
        long count = 1;
        for (var d = 0; d < rank; d++)
        {
            shape[d] = r.ReadInt64();
            if (shape[d] < 0) throw new InvalidDataException($"{path}: '{name}' has a negative dimension");
            count *= shape[d];
        }
        var length = r.ReadInt64();
        if (length != count * dtype.ElementSize())
            throw new InvalidDataException($"{path}: '{name}' holds {length} bytes but its shape needs {count * dtype.ElementSize()}");
        var bytes = r.ReadBytes(checked((int)length));
        if (bytes.Length != length) throw new EndOfStreamException();
        return FromBytes(bytes, dtype, shape);
    }

    static Tensor FromBytes(byte[] bytes, DType dtype, long[] shape) => dtype switch
    {
        DType.Float32 => Tensor.FromArray(MemoryMarshal.Cast<byte, float>(bytes), shape),
        DType.Float64 => Tensor.FromArray(MemoryMarshal.Cast<byte, double>(bytes), shape),
        DType.Int64 => Tensor.FromArray(MemoryMarshal.Cast<byte, long>(bytes), shape),
        DType.Int32 => Tensor.FromArray(MemoryMarshal.Cast<byte, int>(bytes), shape),
        DType.UInt8 => Tensor.FromArray<byte>(bytes, shape),
        DType.Bool => Tensor.FromArray(MemoryMarshal.Cast<byte, bool>(bytes), shape),
        _ => throw new InvalidDataException($"unsupported dtype {dtype}"),
    };

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
