using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Runtime;

/// <summary>
/// Tensors made from .NET arrays, copied once into memory that libtorch allocated (64-byte aligned). TorchSharp's
/// <c>torch.tensor(array)</c> wraps a pinned copy in the managed heap instead, aligned to 8 or 16 bytes depending on what
/// the heap holds, and oneMKL's sgemm rounds differently for misaligned input: the same data gave other logits in a
/// process whose heap held other things. Every tensor TorchLoss computes with from an array comes from here.
/// </summary>
public static class ArrayTensors
{
    /// <summary>libtorch's CPU allocator aligns every allocation to this many bytes.</summary>
    public const int Alignment = 64;

    public static Tensor Float32(ReadOnlySpan<float> values, ReadOnlySpan<long> shape, Device? device = null) =>
        Copy(values, shape, ScalarType.Float32, device);

    public static Tensor Float64(ReadOnlySpan<double> values, ReadOnlySpan<long> shape, Device? device = null) =>
        Copy(values, shape, ScalarType.Float64, device);

    public static Tensor Int64(ReadOnlySpan<long> values, ReadOnlySpan<long> shape, Device? device = null) =>
        Copy(values, shape, ScalarType.Int64, device);

    /// <summary>A one-dimensional tensor of <paramref name="values"/>.</summary>
    public static Tensor Float64(ReadOnlySpan<double> values, Device? device = null) => Float64(values, [values.Length], device);

    /// <summary>A one-dimensional tensor of <paramref name="values"/>.</summary>
    public static Tensor Int64(ReadOnlySpan<long> values, Device? device = null) => Int64(values, [values.Length], device);

    /// <summary>The address of a CPU tensor's first element modulo <see cref="Alignment"/>: 0 when libtorch allocated it
    /// (and no view offsets it).</summary>
    public static unsafe long Misalignment(Tensor cpuTensor)
    {
        if (cpuTensor.NumberOfElements == 0) return 0;
        fixed (byte* p = cpuTensor.bytes) return (long)((nuint)p % Alignment);
    }

    static Tensor Copy<T>(ReadOnlySpan<T> values, ReadOnlySpan<long> shape, ScalarType type, Device? device) where T : unmanaged
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(shape), d, "a dimension must not be negative");
            count = checked(count * d);
        }
        if (count != values.Length)
            throw new ArgumentException($"{values.Length} values do not fill a tensor of {count} elements", nameof(values));
        TorchRuntime.Initialize();
        var onCpu = torch.empty(shape.ToArray(), type);
        if (count > 0) values.CopyTo(MemoryMarshal.Cast<byte, T>(onCpu.bytes));
        if (device is null || device.type == DeviceType.CPU) return onCpu;
        using (onCpu) return onCpu.to(device);
    }
}
