using System.Numerics;
using Google.Protobuf;

namespace TorchLoss.Reporting;

/// <summary>
/// Writes TensorBoard event files (readable by `tensorboard --logdir runs`): TFRecord framing (uint64 length,
/// masked CRC32C of the length, the bytes, masked CRC32C of the bytes) around protobuf Event messages holding
/// scalar summaries. The messages are encoded field by field, so no generated code is needed:
///   Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
///   Summary { repeated Value value = 1; }  Value { string tag = 1; float simple_value = 2; }
/// </summary>
public sealed class TensorBoardEventWriter : IDisposable
{
    readonly FileStream file;

    public TensorBoardEventWriter(string directory, DateTimeOffset? now = null)
    {
        Directory.CreateDirectory(directory);
        var time = now ?? DateTimeOffset.UtcNow;
        Path = System.IO.Path.Combine(directory, $"events.out.tfevents.{time.ToUnixTimeSeconds()}.{Environment.MachineName}.torchloss");
        file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        WriteRecord(EncodeEvent(Seconds(time), 0, writer => writer.WriteString("brain.Event:2"), fieldNumber: 3));
    }

    public string Path { get; }

    /// <summary>Appends one event with a scalar per tag at <paramref name="step"/>.</summary>
    public void WriteScalars(long step, IEnumerable<KeyValuePair<string, double>> scalars, DateTimeOffset? when = null)
    {
        var summary = EncodeSummary(scalars);
        WriteRecord(EncodeEvent(Seconds(when ?? DateTimeOffset.UtcNow), step, writer => writer.WriteBytes(summary), fieldNumber: 5));
    }

    public void Flush() => file.Flush();

    public void Dispose() => file.Dispose();

    static double Seconds(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    static byte[] EncodeEvent(double wallTime, long step, Action<CodedOutputStream> writePayload, int fieldNumber)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.Fixed64);
        output.WriteDouble(wallTime);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt64(step);
        output.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited);
        writePayload(output);
        output.Flush();
        return buffer.ToArray();
    }

    static ByteString EncodeSummary(IEnumerable<KeyValuePair<string, double>> scalars)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (tag, value) in scalars)
        {
            using var valueBuffer = new MemoryStream();
            var v = new CodedOutputStream(valueBuffer);
            v.WriteTag(1, WireFormat.WireType.LengthDelimited);
            v.WriteString(tag);
            v.WriteTag(2, WireFormat.WireType.Fixed32);
            v.WriteFloat((float)value);
            v.Flush();
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(valueBuffer.ToArray()));
        }
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }

    void WriteRecord(byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BitConverter.TryWriteBytes(header[..8], (ulong)data.LongLength);
        BitConverter.TryWriteBytes(header[8..], MaskedCrc32C(header[..8]));
        file.Write(header);
        file.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BitConverter.TryWriteBytes(footer, MaskedCrc32C(data));
        file.Write(footer);
    }

    /// <summary>CRC32C (Castagnoli) as TFRecord masks it: rotate right by 15 and add 0xa282ead8.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
