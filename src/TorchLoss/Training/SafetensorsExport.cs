using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchLoss.Reporting;
using TorchSharp;
using TorchSharp.PyBridge;

namespace TorchLoss.Training;

/// <summary>
/// A run's final model in the safetensors format PyTorch and Hugging Face read (`safetensors.torch.load_file`), written by
/// TorchSharp.PyBridge under the module's parameter names (layer1.weight, layer1.bias, ...), atomically.
/// </summary>
public static class SafetensorsExport
{
    public const string File = "model.safetensors";

    public static void Save(torch.nn.Module module, string path)
    {
        // PyBridge closes the stream it writes to, so it writes to memory (a closed MemoryStream still gives its bytes).
        var buffer = new MemoryStream();
        module.save_safetensors(buffer);
        var bytes = buffer.ToArray();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="path"/> holds a whole safetensors file: an
    /// 8-byte little-endian header length, a JSON header, and tensor data that the header's byte ranges fill exactly.</summary>
    public static void Verify(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.Length < 8) throw Damaged($"{stream.Length} bytes");
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(stream.Length - 8)) throw Damaged($"a {headerLength}-byte header in {stream.Length} bytes");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        JsonObject tensors;
        try { tensors = JsonNode.Parse(header)?.AsObject() ?? throw Damaged("an empty header"); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { throw Damaged($"its header is not a JSON object: {e.Message}"); }
        long end = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (name == "__metadata__") continue;
            var offsets = (tensor?["data_offsets"] as JsonArray)?.Select(o => o?.GetValue<long>() ?? -1).ToArray();
            if (offsets is not [var from, var to] || from < 0 || to < from) throw Damaged($"tensor {name} has no byte range");
            end = Math.Max(end, to);
        }
        var data = stream.Length - 8 - (long)headerLength;
        if (end != data) throw Damaged($"{data} bytes of tensor data where its header names {end}");
    }

    static InvalidDataException Damaged(string what) => new($"{File} is cut short or damaged ({what})");
}
