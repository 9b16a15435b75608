using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Runtime;

/// <summary>A device that was asked for and cannot be used here; the message says why in one line.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);

/// <summary>Devices as users write them ("cpu", "cuda", "cuda:N") and the checks before using one.</summary>
public static class Devices
{
    public const string Syntax = "cpu, cuda or cuda:N";

    /// <summary>Parses "cpu", "cuda" or "cuda:N"; FormatException with a message fit for a user otherwise.</summary>
    public static Device Parse(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s == "cpu") return torch.CPU;
        if (s == "cuda") return new Device(DeviceType.CUDA);
        if (s.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(s.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            return new Device(DeviceType.CUDA, index);
        throw new FormatException($"unknown device '{text}': expected {Syntax}");
    }

    public static bool IsCuda(this Device device) => device.type == DeviceType.CUDA;

    /// <summary>"cpu", "cuda" or "cuda:N", as <see cref="Parse"/> reads it.</summary>
    public static string Name(this Device device) =>
        device.type == DeviceType.CPU ? "cpu" : device.index < 0 ? "cuda" : $"cuda:{device.index}";

    /// <summary>Throws <see cref="DeviceUnavailableException"/> when this device cannot be used on this machine.</summary>
    public static void EnsureAvailable(this Device device)
    {
        if (device.type == DeviceType.CPU) return;
        if (device.type != DeviceType.CUDA) throw new DeviceUnavailableException($"device {device} is not supported: expected {Syntax}");
        if (!TorchRuntime.CudaIsAvailable)
            throw new DeviceUnavailableException($"{device.Name()} was requested but CUDA is not available ({TorchRuntime.Version} " +
                "sees no CUDA device; the TorchSharp-cpu backend has none: build with -p:TorchLossBackend=cuda on a machine with CUDA)");
        var count = TorchRuntime.CudaDeviceCount;
        if (device.index >= count)
            throw new DeviceUnavailableException($"{device.Name()} was requested but only {count} CUDA device(s) exist");
    }
}
