using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

public sealed partial class Tensor
{
    /// <summary>Sum over all elements, or over <paramref name="dims"/> when given.</summary>
    public unsafe Tensor Sum(ReadOnlySpan<long> dims = default, bool keepDim = false)
    {
        fixed (long* p = dims) return NativeCall.Wrap(NativeMethods.tl_sum(Handle, p, dims.Length, keepDim ? 1 : 0));
    }

    public Tensor Sum(long dim, bool keepDim = false) => Sum([dim], keepDim);

    public unsafe Tensor Mean(ReadOnlySpan<long> dims = default, bool keepDim = false)
    {
        fixed (long* p = dims) return NativeCall.Wrap(NativeMethods.tl_mean(Handle, p, dims.Length, keepDim ? 1 : 0));
    }

    public Tensor Mean(long dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>The p-norm over all elements (default: L2), or over <paramref name="dims"/>.</summary>
    public unsafe Tensor Norm(double p = 2, ReadOnlySpan<long> dims = default, bool keepDim = false)
    {
        fixed (long* d = dims) return NativeCall.Wrap(NativeMethods.tl_norm(Handle, p, d, dims.Length, keepDim ? 1 : 0));
    }

    public Tensor LogSumExp(long dim, bool keepDim = false) => NativeCall.Wrap(NativeMethods.tl_logsumexp(Handle, dim, keepDim ? 1 : 0));

    public Tensor Max() => NativeCall.Wrap(NativeMethods.tl_max_all(Handle));

    public Tensor Min() => NativeCall.Wrap(NativeMethods.tl_min_all(Handle));

    public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        NativeCall.Check(NativeMethods.tl_max_dim(Handle, dim, keepDim ? 1 : 0, out var v, out var i));
        return (NativeCall.Wrap(v), NativeCall.Wrap(i));
    }

    public (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false)
    {
        NativeCall.Check(NativeMethods.tl_min_dim(Handle, dim, keepDim ? 1 : 0, out var v, out var i));
        return (NativeCall.Wrap(v), NativeCall.Wrap(i));
    }

    /// <summary>Index of the largest element (flattened when <paramref name="dim"/> is null).</summary>
    public Tensor Argmax(long? dim = null, bool keepDim = false) =>
        NativeCall.Wrap(NativeMethods.tl_argmax(Handle, dim ?? 0, dim.HasValue ? 1 : 0, keepDim ? 1 : 0));

    public Tensor Argmin(long? dim = null, bool keepDim = false) =>
        NativeCall.Wrap(NativeMethods.tl_argmin(Handle, dim ?? 0, dim.HasValue ? 1 : 0, keepDim ? 1 : 0));
}
