using TorchLoss.Engines;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Benchmarks;

/// <summary>The settings the head benchmarks run under: the CPU with the fused and the autograd engine, each with its
/// default threads, and CUDA (autograd) when present. Its absence is printed, so a reader sees why there are no CUDA rows.</summary>
public static class DeviceSetting
{
    public static IEnumerable<string> Available()
    {
        yield return "cpu:fused";
        yield return "cpu:autograd";
        if (TorchRuntime.CudaIsAvailable) yield return "cuda:autograd";
        else Console.WriteLine($"// CUDA benchmarks skipped: CUDA is not available ({TorchRuntime.Version} sees no CUDA device)");
    }

    /// <summary>Applies a setting's threads (the engine's defaults for a step of <paramref name="forwardMultiplyAdds"/>)
    /// and returns its device and engine.</summary>
    public static (Device Device, TrainingEngine Engine) Apply(string setting, long forwardMultiplyAdds)
    {
        var parts = setting.Split(':');
        var engine = TrainingEngines.Parse(parts[1]);
        if (parts[0] == "cuda") return (torch.CUDA, engine);
        ThreadSettings.For(engine, forwardMultiplyAdds).Apply(engine);
        return (torch.CPU, engine);
    }
}
