using TorchLoss.Torch;
using TorchLoss.Training;

namespace TorchLoss.Benchmarks;

/// <summary>The settings the head benchmarks run under: the CPU with 1 and 2 intra-op threads, and CUDA when
/// present. Its absence is printed, so a reader sees why there are no CUDA rows.</summary>
public static class DeviceSetting
{
    public static IEnumerable<string> Available()
    {
        yield return "cpu:1";
        yield return "cpu:2";
        if (TorchRuntime.CudaIsAvailable) yield return "cuda";
        else Console.WriteLine($"// CUDA benchmarks skipped: CUDA is not available (libtorch {TorchRuntime.Version} sees no CUDA device)");
    }

    /// <summary>Applies a setting and returns its device.</summary>
    public static Device Apply(string setting)
    {
        if (setting == "cuda") return Device.Cuda();
        var intraOp = int.Parse(setting["cpu:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        new ThreadSettings(intraOp, Environment.ProcessorCount).Apply();
        return Device.Cpu;
    }
}
