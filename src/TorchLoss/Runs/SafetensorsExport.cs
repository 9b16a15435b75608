using System.Buffers.Binary;
using System.Text.Json;
using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchSharp.PyBridge;
using TorchSharp;

namespace TorchLoss.Runs;

/// <summary>
/// A run's final model in the safetensors format PyTorch and Hugging Face read (`safetensors.torch.load_file`), written by
/// TorchSharp.PyBridge under the module's parameter names (layer1.weight, layer1.bias, ...), atomically.
/// </summary>
public static class SafetensorsExport
{
    public const string File = "model.safetensors";

    /// <summary>The largest header the safetensors reference reader accepts (its MAX_HEADER_SIZE); ours are a few hundred bytes.</summary>
    public const int MaxHeaderBytes = 100_000_000;

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
        if (headerLength > MaxHeaderBytes) throw Damaged($"a {headerLength}-byte header, over the format's limit of {MaxHeaderBytes / 1_000_000} MB");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long end = 0;
        try
        {
            using var json = JsonDocument.Parse(header);
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw Damaged("its header is not a JSON object");
            foreach (var tensor in json.RootElement.EnumerateObject())
            {
                if (tensor.Name == "__metadata__") continue;
                var (_, to) = ByteRange(tensor.Value) ?? throw Damaged($"tensor {Named(tensor.Name)} has no byte range");
                end = Math.Max(end, to);
            }
        }
        // A string that is not UTF-8 surfaces only when it is read, as InvalidOperationException.
        catch (Exception e) when (e is JsonException or InvalidOperationException) { throw Damaged($"its header is not a JSON object: {e.Message}"); }
        var data = stream.Length - 8 - (long)headerLength;
        if (end != data) throw Damaged($"{data} bytes of tensor data where its header names {end}");
    }

    /// <summary>A tensor's "data_offsets": two whole numbers, 0 &lt;= from &lt;= to, or null for anything else (a number,
    /// text, a fraction or a value beyond a long where the tensor or an offset should be).</summary>
    static (long From, long To)? ByteRange(JsonElement tensor) =>
        tensor.ValueKind == JsonValueKind.Object && tensor.TryGetProperty("data_offsets", out var offsets)
        && offsets.ValueKind == JsonValueKind.Array && offsets.GetArrayLength() == 2
        && offsets[0].ValueKind == JsonValueKind.Number && offsets[0].TryGetInt64(out var from) && from >= 0
        && offsets[1].ValueKind == JsonValueKind.Number && offsets[1].TryGetInt64(out var to) && to >= from
            ? (from, to)
            : null;

    /// <summary>A tensor's name as the message shows it: a damaged header's names may be anything, so they are cut short
    /// and a control character shows as '?'.</summary>
    static string Named(string name) =>
        new string(name.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray()) + (name.Length > 64 ? "…" : "");

    static InvalidDataException Damaged(string what) => new($"{File} is cut short or damaged ({what})");
}
