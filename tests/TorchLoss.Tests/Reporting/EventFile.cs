using Google.Protobuf;

namespace TorchLoss.Tests.Reporting;

/// <summary>
/// Reads TensorBoard event files the way a reader that knows only the formats would: TFRecord framing checked with a
/// bitwise CRC32C of its own (not the writer's), and each message decoded into its fields by number, so the tests
/// state the field numbers of TensorBoard's .proto files themselves.
/// </summary>
internal static class EventFile
{
    /// <summary>The one event file of a run folder, decoded.</summary>
    public static List<Event> ReadFolder(string folder) => Read(Assert.Single(Directory.GetFiles(folder, "events.out.tfevents.*")));

    public static List<Event> Read(string path) => Records(File.ReadAllBytes(path)).Select(r => new Event(Proto.Parse(r))).ToList();

    public static List<byte[]> Records(byte[] file)
    {
        var records = new List<byte[]>();
        for (var at = 0; at < file.Length;)
        {
            Assert.True(file.Length - at >= 16, $"a record cut off at byte {at}");
            var length = checked((int)BitConverter.ToUInt64(file, at));
            Assert.Equal(MaskedCrc32C(file.AsSpan(at, 8)), BitConverter.ToUInt32(file, at + 8));
            var data = file.AsSpan(at + 12, length).ToArray();
            Assert.Equal(MaskedCrc32C(data), BitConverter.ToUInt32(file, at + 12 + length));
            records.Add(data);
            at += 16 + length;
        }
        return records;
    }

    /// <summary>CRC32C bit by bit (reflected polynomial 0x82F63B78), masked as TFRecord does.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        crc = ~crc;
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }

    /// <summary>Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5 }.</summary>
    public sealed class Event(Proto proto)
    {
        public double WallTime => proto.Double(1);
        public long Step => (long)proto.Varint(2);
        public string? FileVersion => proto.Has(3) ? proto.String(3) : null;
        /// <summary>Summary { repeated Value value = 1 }.</summary>
        public List<Value> Values => proto.Has(5) ? proto.Message(5).Messages(1).Select(v => new Value(v)).ToList() : [];
    }

    /// <summary>Summary.Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9 }.</summary>
    public sealed class Value(Proto proto)
    {
        public string Tag => proto.String(1);
        public float? SimpleValue => proto.Has(2) ? proto.Float(2) : null;
        public Proto? Tensor => proto.Has(8) ? proto.Message(8) : null;
        /// <summary>SummaryMetadata { PluginData plugin_data = 1 { string plugin_name = 1; bytes content = 2 } }.</summary>
        public string? PluginName => proto.Has(9) ? proto.Message(9).Message(1).String(1) : null;
        public Proto PluginContent => proto.Message(9).Message(1).Message(2);
        public long DataClass => (long)proto.Message(9).Varint(4);
    }

    /// <summary>SessionStartInfo's map&lt;string, google.protobuf.Value&gt; hparams = 1 (entries { key = 1; value = 2 }), each
    /// value as its one set member of Value's oneof: number_value = 2 (double), string_value = 3, bool_value = 4.</summary>
    public static Dictionary<string, object> HParams(Proto sessionStartInfo) => sessionStartInfo.Messages(1).ToDictionary(
        entry => entry.String(1),
        entry =>
        {
            var value = entry.Message(2);
            var kind = Assert.Single(value.FieldNumbers);
            return kind switch
            {
                2 => value.Double(2),
                3 => value.String(3),
                4 => (object)(value.Varint(4) == 1),
                _ => throw new InvalidDataException($"google.protobuf.Value field {kind}"),
            };
        });

    /// <summary>One decoded message: each field number's values in order (varints and fixed as ulong, the rest as bytes).</summary>
    public sealed class Proto
    {
        readonly List<(int Field, object Value)> fields = [];

        public static Proto Parse(byte[] bytes)
        {
            var proto = new Proto();
            var input = new CodedInputStream(bytes);
            for (uint tag; (tag = input.ReadTag()) != 0;)
            {
                object value = WireFormat.GetTagWireType(tag) switch
                {
                    WireFormat.WireType.Varint => input.ReadUInt64(),
                    WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                    WireFormat.WireType.Fixed32 => (ulong)input.ReadFixed32(),
                    WireFormat.WireType.LengthDelimited => input.ReadBytes().ToByteArray(),
                    var other => throw new InvalidDataException($"wire type {other}"),
                };
                proto.fields.Add((WireFormat.GetTagFieldNumber(tag), value));
            }
            return proto;
        }

        public bool Has(int field) => fields.Any(f => f.Field == field);

        public IEnumerable<int> FieldNumbers => fields.Select(f => f.Field);

        object Single(int field) => Assert.Single(fields, f => f.Field == field).Value;

        /// <summary>A varint field; absent, proto3's default 0.</summary>
        public ulong Varint(int field) => Has(field) ? (ulong)Single(field) : 0;

        public double Double(int field) => BitConverter.Int64BitsToDouble((long)(ulong)Single(field));

        public float Float(int field) => BitConverter.Int32BitsToSingle((int)(ulong)Single(field));

        public byte[] Bytes(int field) => (byte[])Single(field);

        public string String(int field) => System.Text.Encoding.UTF8.GetString(Bytes(field));

        public Proto Message(int field) => Parse(Bytes(field));

        public IEnumerable<Proto> Messages(int field) => fields.Where(f => f.Field == field).Select(f => Parse((byte[])f.Value));
    }
}
