using System.Text;
using Google.Protobuf;
using TorchLoss.Reporting;

namespace TorchLoss.Tests.Reporting;

public class TensorBoardEventWriterTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("torchloss-tb-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, TensorBoardEventWriter.Crc32C(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void RecordsCarryValidChecksumsAndDecodeToScalarEvents()
    {
        string path;
        using (var writer = new TensorBoardEventWriter(dir))
        {
            writer.WriteScalars(7, [KeyValuePair.Create("train/loss", 0.25), KeyValuePair.Create("grad/layer1", 3.0)]);
            path = writer.Path;
        }
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(path));
        var records = ReadRecords(File.ReadAllBytes(path));
        Assert.Equal(2, records.Count);

        var header = new CodedInputStream(records[0]);
        Assert.Equal(WireFormat.MakeTag(1, WireFormat.WireType.Fixed64), header.ReadTag());
        Assert.True(header.ReadDouble() > 1.7e9);
        Assert.Equal(WireFormat.MakeTag(2, WireFormat.WireType.Varint), header.ReadTag());
        Assert.Equal(0, header.ReadInt64());
        Assert.Equal(WireFormat.MakeTag(3, WireFormat.WireType.LengthDelimited), header.ReadTag());
        Assert.Equal("brain.Event:2", header.ReadString());

        var scalars = DecodeScalarEvent(records[1], out var step);
        Assert.Equal(7, step);
        Assert.Equal([("train/loss", 0.25f), ("grad/layer1", 3f)], scalars);
    }

    static List<byte[]> ReadRecords(byte[] file)
    {
        var records = new List<byte[]>();
        for (var at = 0; at < file.Length;)
        {
            var length = (int)BitConverter.ToUInt64(file, at);
            Assert.Equal(TensorBoardEventWriter.MaskedCrc32C(file.AsSpan(at, 8)), BitConverter.ToUInt32(file, at + 8));
            var data = file.AsSpan(at + 12, length).ToArray();
            Assert.Equal(TensorBoardEventWriter.MaskedCrc32C(data), BitConverter.ToUInt32(file, at + 12 + length));
            records.Add(data);
            at += 16 + length;
        }
        return records;
    }

    static List<(string, float)> DecodeScalarEvent(byte[] record, out long step)
    {
        var input = new CodedInputStream(record);
        step = -1;
        var result = new List<(string, float)>();
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: input.ReadDouble(); break;
                case 2: step = input.ReadInt64(); break;
                case 5:
                    var summary = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (summary.ReadTag() != 0)
                    {
                        var value = new CodedInputStream(summary.ReadBytes().ToByteArray());
                        string name = "";
                        float number = float.NaN;
                        for (uint t; (t = value.ReadTag()) != 0;)
                            if (WireFormat.GetTagFieldNumber(t) == 1) name = value.ReadString();
                            else number = value.ReadFloat();
                        result.Add((name, number));
                    }
                    break;
            }
        }
        return result;
    }
}
