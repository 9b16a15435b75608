using Google.Protobuf;

namespace TorchLoss.Reporting;

/// <summary>
/// One protobuf message encoded field by field, in the order the fields are added. Every added field is written, default
/// or not: the caller leaves out what proto3 would (zeros outside a oneof) and keeps what it must (a oneof member).
/// </summary>
internal sealed class ProtoMessage
{
    readonly MemoryStream buffer = new();
    readonly CodedOutputStream output;

    public ProtoMessage() => output = new CodedOutputStream(buffer);

    public ProtoMessage String(int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        return this;
    }

    public ProtoMessage Bytes(int field, ByteString value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(value);
        return this;
    }

    public ProtoMessage Message(int field, ProtoMessage value) => Bytes(field, value.ToByteString());

    public ProtoMessage Double(int field, double value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteDouble(value);
        return this;
    }

    public ProtoMessage Float(int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
        return this;
    }

    /// <summary>An int32, int64, enum or bool field.</summary>
    public ProtoMessage Varint(int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        return this;
    }

    public ByteString ToByteString()
    {
        output.Flush();
        return ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public byte[] ToArray()
    {
        output.Flush();
        return buffer.ToArray();
    }
}
