using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Fused;

/// <summary>Checks that a tensor can be handed to native code as plain memory, and gives its data pointer.</summary>
internal static class TensorMemory
{
    /// <summary>Why <paramref name="t"/> is not a live, contiguous CPU tensor of <paramref name="dtype"/> shaped
    /// <paramref name="shape"/> (any shape when null), or null when it is.</summary>
    public static string? Mismatch(Tensor? t, ScalarType dtype, long[]? shape)
    {
        if (t is null) return "missing";
        if (t.IsInvalid) return "disposed";
        if (t.device_type != DeviceType.CPU) return $"on {t.device}; the fused step runs on the CPU";
        if (t.dtype != dtype) return $"{t.dtype}, expected {dtype}";
        if (shape is not null && !t.shape.AsSpan().SequenceEqual(shape)) return $"shaped {Shape(t.shape)}, expected {Shape(shape)}";
        if (!t.is_contiguous()) return "not contiguous";
        return null;
    }

    /// <summary>The address of the first element of a tensor that passed <see cref="Mismatch"/>. libtorch owns that memory
    /// and never moves it: it stays valid for as long as the tensor lives.</summary>
    public static unsafe nint Pointer(Tensor t)
    {
        fixed (byte* p = t.bytes) return (nint)p;
    }

    public static string Shape(ReadOnlySpan<long> shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
