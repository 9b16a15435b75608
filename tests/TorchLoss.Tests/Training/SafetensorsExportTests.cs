using System.Buffers.Binary;
using System.Text.Json.Nodes;
using System.Text;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>model.safetensors read back by a parser of the format written here, independent of the writer: an 8-byte
/// little-endian header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw data.</summary>
[Collection(SerialCollection.Name)]
public sealed class SafetensorsExportTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    static Dictionary<string, (long[] Shape, float[] Values)> Parse(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength))!.AsObject();
        var tensors = new Dictionary<string, (long[], float[])>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            Assert.Equal("F32", (string?)node!["dtype"]);
            var shape = node["shape"]!.AsArray().Select(n => (long)n!).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(n => (int)n!).ToArray();
            var start = 8 + headerLength + offsets[0];
            var values = new float[(offsets[1] - offsets[0]) / 4];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(start + 4 * i));
            Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), values.Length);
            tensors[name] = (shape, values);
        }
        return tensors;
    }

    [Fact]
    public void A_finished_run_writes_its_final_model_under_the_documented_layer_names()
    {
        var result = data.Run(TrainCommand.Create, "--name", "s", "--runs-dir", data.RunsDirectory, "--model", "mlp:8", "--epochs", "2",
            "--validation-size", "100");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var folder = Path.Combine(data.RunsDirectory, "s");
        var exported = Parse(Path.Combine(folder, SafetensorsExport.File));
        Assert.Equal(["layer1.bias", "layer1.weight", "layer2.bias", "layer2.weight"], exported.Keys.Order());
        Assert.Equal([8L, 36L], exported["layer1.weight"].Shape);
        Assert.Equal([4L, 8L], exported["layer2.weight"].Shape);
        var saved = ParameterFile.Read(Path.Combine(folder, RunFolder.ModelFile));
        try
        {
            foreach (var (name, tensor) in saved) Assert.Equal(tensor.data<float>().ToArray(), exported[name].Values);
        }
        finally
        {
            foreach (var tensor in saved.Values) tensor.Dispose();
        }
    }

    [Fact]
    public void VerifyAcceptsAWholeFileAndRefusesACutOrGarbledOne()
    {
        var path = Path.Combine(data.RunsDirectory, "check.safetensors");
        Directory.CreateDirectory(data.RunsDirectory);
        using (var scope = TorchSharp.torch.NewDisposeScope())
            SafetensorsExport.Save(TorchSharp.torch.nn.Sequential(("layer1", TorchSharp.torch.nn.Linear(3, 2))), path);
        SafetensorsExport.Verify(path);
        var whole = File.ReadAllBytes(path);

        void Refused(byte[] bytes, string reason)
        {
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => SafetensorsExport.Verify(path));
            Assert.Contains(reason, e.Message);
        }
        Refused(whole[..^4], "bytes of tensor data where its header names");
        Refused([.. whole, 0], "bytes of tensor data where its header names");
        Refused(whole[..5], "(5 bytes)");
        var huge = (byte[])whole.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, 1UL << 40);
        Refused(huge, "-byte header in");
        var garbled = (byte[])whole.Clone();
        garbled[8] = (byte)'!';
        Refused(garbled, "its header is not a JSON object");
    }

    /// <summary>A header whose JSON parses but does not hold what a tensor entry holds is damage like any other: one
    /// InvalidDataException, never an exception of another kind that would end `compare`.</summary>
    [Theory]
    [InlineData("""{"layer1.weight": 5}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": "x"}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": null}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": {"data_offsets": 7}}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": {"data_offsets": ["0", "4"]}}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": {"data_offsets": [0, 1e30]}}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": {"data_offsets": [0.5, 4]}}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": {"data_offsets": [4, 0]}}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": {"data_offsets": [-4, 0]}}""", "tensor layer1.weight has no byte range")]
    [InlineData("""{"layer1.weight": {"data_offsets": [0, 4, 8]}}""", "tensor layer1.weight has no byte range")]
    [InlineData("{\"layer1\\nweight\": 5}", "tensor layer1?weight has no byte range")]
    [InlineData("""[1, 2]""", "its header is not a JSON object")]
    [InlineData("""5""", "its header is not a JSON object")]
    [InlineData("\"\u00ff\"", "its header is not a JSON object")]
    public void VerifyRefusesAHeaderThatIsJsonButNotTensors(string header, string reason)
    {
        var path = Path.Combine(data.RunsDirectory, "odd.safetensors");
        Directory.CreateDirectory(data.RunsDirectory);
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsExport.Verify(path));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void VerifyRefusesAHeaderThatIsNotUtf8()
    {
        var path = Path.Combine(data.RunsDirectory, "bytes.safetensors");
        Directory.CreateDirectory(data.RunsDirectory);
        byte[] json = [.. "{\""u8, 0xFF, 0xFE, .. "\": 1}"u8];
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json]);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsExport.Verify(path));
        Assert.Contains("its header is not a JSON object", e.Message);
    }
}
