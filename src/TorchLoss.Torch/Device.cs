using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

public enum DeviceType { Cpu = 0, Cuda = 1 }

/// <summary>A compute device: "cpu", "cuda" (current CUDA device) or "cuda:N".</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device Cpu = new(DeviceType.Cpu);

    public static Device Cuda(int index = -1) => new(DeviceType.Cuda, index);

    public bool IsCuda => Type == DeviceType.Cuda;

    /// <summary>Parses "cpu", "cuda" or "cuda:N"; throws FormatException with a message fit for a user.</summary>
    public static Device Parse(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s == "cpu") return Cpu;
        if (s == "cuda") return Cuda();
        if (s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s.AsSpan(5), out var index) && index >= 0)
            return Cuda(index);
        throw new FormatException($"unknown device '{text}': expected cpu, cuda or cuda:N");
    }

    /// <summary>Throws a clear error when this device cannot be used on this machine.</summary>
    public void EnsureAvailable()
    {
        if (!IsCuda) return;
        if (!TorchRuntime.CudaIsAvailable)
            throw new TorchException($"{this} was requested but CUDA is not available (libtorch {TorchRuntime.Version} " +
                                     "sees no CUDA device; this libtorch may be a CPU-only build)");
        var count = NativeMethods.tl_cuda_device_count();
        if (Index >= count)
            throw new TorchException($"{this} was requested but only {count} CUDA device(s) exist");
    }

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : Index < 0 ? "cuda" : $"cuda:{Index}";
}
