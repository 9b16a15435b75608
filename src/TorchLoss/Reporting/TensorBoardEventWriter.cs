using System.Numerics;

namespace TorchLoss.Reporting;

/// <summary>
/// Writes TensorBoard event files (readable by `tensorboard --logdir runs`): TFRecord framing (uint64 length,
/// masked CRC32C of the length, the bytes, masked CRC32C of the bytes) around protobuf Event messages holding
/// summaries: scalars, text (the TEXT tab) and the HParams plugin's session start and end (the HPARAMS tab). The
/// messages are encoded field by field (see <see cref="TensorBoardSummaries"/>), so no generated code is needed:
///   Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
///   Summary { repeated Value value = 1; }
/// </summary>
public sealed class TensorBoardEventWriter : IDisposable
{
    /// <summary>The HParams plugin's tags (tensorboard/plugins/hparams/metadata.py).</summary>
    public const string SessionStartTag = "_hparams_/session_start_info";
    public const string SessionEndTag = "_hparams_/session_end_info";

    readonly FileStream file;

    public TensorBoardEventWriter(string directory, DateTimeOffset? now = null)
    {
        Directory.CreateDirectory(directory);
        var time = now ?? DateTimeOffset.UtcNow;
        Path = System.IO.Path.Combine(directory, $"events.out.tfevents.{time.ToUnixTimeSeconds()}.{Environment.MachineName}.torchloss");
        file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        WriteRecord(Event(Seconds(time), 0).String(3, "brain.Event:2").ToArray());
    }

    public string Path { get; }

    /// <summary>Appends one event with a scalar per tag at <paramref name="step"/>.</summary>
    public void WriteScalars(long step, IEnumerable<KeyValuePair<string, double>> scalars, DateTimeOffset? when = null) =>
        WriteSummary(step, when ?? DateTimeOffset.UtcNow, scalars.Select(s => TensorBoardSummaries.Scalar(s.Key, s.Value)));

    /// <summary>Appends a text summary: <paramref name="markdown"/> as TensorBoard's TEXT tab renders it.</summary>
    public void WriteText(long step, string tag, string markdown, DateTimeOffset? when = null) =>
        WriteSummary(step, when ?? DateTimeOffset.UtcNow, [TensorBoardSummaries.Text(tag, markdown)]);

    /// <summary>Appends the HParams plugin's session start: the run's hyperparameters (each a string, a boolean or a
    /// number), the group of sessions with the same hyperparameters, and when the run started.</summary>
    public void WriteSessionStart(IEnumerable<KeyValuePair<string, object>> hparams, string groupName, DateTimeOffset started) =>
        WriteSummary(0, started, [TensorBoardSummaries.SessionStart(hparams, groupName, Seconds(started))]);

    /// <summary>Appends the HParams plugin's session end: how and when the run ended.</summary>
    public void WriteSessionEnd(SessionStatus status, DateTimeOffset ended, long step = 0) =>
        WriteSummary(step, ended, [TensorBoardSummaries.SessionEnd(status, Seconds(ended))]);

    public void Flush() => file.Flush();

    public void Dispose() => file.Dispose();

    static double Seconds(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    static ProtoMessage Event(double wallTime, long step) => new ProtoMessage().Double(1, wallTime).Varint(2, step);

    void WriteSummary(long step, DateTimeOffset when, IEnumerable<ProtoMessage> values)
    {
        var summary = new ProtoMessage();
        foreach (var value in values) summary.Message(1, value);
        WriteRecord(Event(Seconds(when), step).Message(5, summary).ToArray());
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
