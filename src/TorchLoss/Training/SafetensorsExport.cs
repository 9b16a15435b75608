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
}
