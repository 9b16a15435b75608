using System.Text;
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
    public void TheMaskedCrcAgreesWithABitwiseOne()
    {
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)(i * 37)).ToArray();
        Assert.Equal(EventFile.MaskedCrc32C(bytes), TensorBoardEventWriter.MaskedCrc32C(bytes));
    }

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
        var events = EventFile.Read(path);
        Assert.Equal(2, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.True(events[0].WallTime > 1.7e9);
        Assert.Equal(0, events[0].Step);

        Assert.Equal(7, events[1].Step);
        Assert.Equal([("train/loss", 0.25f), ("grad/layer1", 3f)], events[1].Values.Select(v => (v.Tag, v.SimpleValue!.Value)));
        Assert.All(events[1].Values, v => Assert.Null(v.PluginName));
    }

    [Fact]
    public void ASessionStartHoldsTypedHyperparametersForTheHParamsPlugin()
    {
        var started = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_250);
        string path;
        using (var writer = new TensorBoardEventWriter(dir))
        {
            writer.WriteSessionStart([KeyValuePair.Create("head", (object)"softmax-mse"), KeyValuePair.Create("learning_rate", (object)0.05),
                KeyValuePair.Create("batch_size", (object)128), KeyValuePair.Create("nesterov", (object)true)], "group-1", started);
            path = writer.Path;
        }
        var e = EventFile.Read(path)[1];
        Assert.Equal(1_750_000_000.25, e.WallTime);
        var value = Assert.Single(e.Values);
        Assert.Equal("_hparams_/session_start_info", value.Tag);
        Assert.Equal("hparams", value.PluginName);
        Assert.Equal(2, value.DataClass); // DATA_CLASS_TENSOR

        // HParamsPluginData { version = 1 (0: absent); session_start_info = 3 }
        var data = value.PluginContent;
        Assert.Equal(0UL, data.Varint(1));
        Assert.Equal([3], data.FieldNumbers);
        var start = data.Message(3);
        Assert.Equal(new Dictionary<string, object> { ["head"] = "softmax-mse", ["learning_rate"] = 0.05, ["batch_size"] = 128.0, ["nesterov"] = true },
            EventFile.HParams(start));
        Assert.Equal("group-1", start.String(4));
        Assert.Equal(1_750_000_000.25, start.Double(5));

        // TensorBoard's own writer adds an empty float vector: dtype DT_FLOAT (1), shape [0].
        var tensor = value.Tensor!;
        Assert.Equal(1UL, tensor.Varint(1));
        Assert.Equal([2], tensor.Message(2).FieldNumbers);
    }

    [Theory]
    [InlineData(SessionStatus.Success, 1UL)]
    [InlineData(SessionStatus.Failure, 2UL)]
    public void ASessionEndHoldsTheStatusAndTime(SessionStatus status, ulong number)
    {
        string path;
        using (var writer = new TensorBoardEventWriter(dir))
        {
            writer.WriteSessionEnd(status, DateTimeOffset.FromUnixTimeSeconds(1_760_000_000), step: 42);
            path = writer.Path;
        }
        var e = EventFile.Read(path)[1];
        Assert.Equal(42, e.Step);
        var value = Assert.Single(e.Values);
        Assert.Equal("_hparams_/session_end_info", value.Tag);
        Assert.Equal("hparams", value.PluginName);
        Assert.Equal([4], value.PluginContent.FieldNumbers);
        var end = value.PluginContent.Message(4);
        Assert.Equal(number, end.Varint(1));
        Assert.Equal(1_760_000_000.0, end.Double(2));
    }

    [Fact]
    public void ATextSummaryIsAScalarStringTensorForTheTextPlugin()
    {
        const string markdown = "| setting | value |\n|---|---|\n| head | sigmoid-mse — ünïcode |\n";
        string path;
        using (var writer = new TensorBoardEventWriter(dir))
        {
            writer.WriteText(0, "config", markdown);
            path = writer.Path;
        }
        var value = Assert.Single(EventFile.Read(path)[1].Values);
        Assert.Equal("config", value.Tag);
        Assert.Equal("text", value.PluginName);
        var tensor = value.Tensor!;
        Assert.Equal(7UL, tensor.Varint(1)); // DT_STRING
        Assert.Empty(tensor.Message(2).FieldNumbers); // a scalar: no dims
        Assert.Equal(markdown, tensor.String(8));
    }

    [Fact]
    public void AHyperparameterOfAnotherTypeIsRefused()
    {
        using var writer = new TensorBoardEventWriter(dir);
        var e = Assert.Throws<ArgumentException>(() =>
            writer.WriteSessionStart([KeyValuePair.Create("when", (object)DateTime.UnixEpoch)], "", DateTimeOffset.UtcNow));
        Assert.Contains("'when'", e.Message);
    }
}
