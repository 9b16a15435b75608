using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

public sealed partial class Tensor
{
    /// <summary>A view with a new shape (one dimension may be -1); fails when the memory layout does not allow it.</summary>
    public unsafe Tensor View(params ReadOnlySpan<long> shape)
    {
        fixed (long* p = shape) return NativeCall.Wrap(NativeMethods.tl_view(Handle, p, shape.Length));
    }

    /// <summary>A view when possible, otherwise a copy, with a new shape (one dimension may be -1).</summary>
    public unsafe Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* p = shape) return NativeCall.Wrap(NativeMethods.tl_reshape(Handle, p, shape.Length));
    }

    public Tensor Transpose(long dim0, long dim1) => NativeCall.Wrap(NativeMethods.tl_transpose(Handle, dim0, dim1));

    /// <summary>Transpose of a matrix.</summary>
    public Tensor T => Transpose(0, 1);

    public unsafe Tensor Permute(params ReadOnlySpan<long> dims)
    {
        fixed (long* p = dims) return NativeCall.Wrap(NativeMethods.tl_permute(Handle, p, dims.Length));
    }

    public Tensor Narrow(long dim, long start, long length) => NativeCall.Wrap(NativeMethods.tl_narrow(Handle, dim, start, length));

    /// <summary>Elements start, start+step, ... below end along <paramref name="dim"/> (a view).</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) =>
        NativeCall.Wrap(NativeMethods.tl_slice(Handle, dim, start, end, step));

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, with that dimension removed.</summary>
    public Tensor Select(long dim, long index) => NativeCall.Wrap(NativeMethods.tl_select(Handle, dim, index));

    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[long index] => Select(0, index);

    public Tensor IndexSelect(long dim, Tensor index) => NativeCall.Wrap(NativeMethods.tl_index_select(Handle, dim, index.Handle));

    public Tensor Gather(long dim, Tensor index) => NativeCall.Wrap(NativeMethods.tl_gather(Handle, dim, index.Handle));

    public Tensor Squeeze(long? dim = null) => NativeCall.Wrap(NativeMethods.tl_squeeze(Handle, dim ?? 0, dim.HasValue ? 1 : 0));

    public Tensor Unsqueeze(long dim) => NativeCall.Wrap(NativeMethods.tl_unsqueeze(Handle, dim));

    public unsafe Tensor Expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* p = shape) return NativeCall.Wrap(NativeMethods.tl_expand(Handle, p, shape.Length));
    }

    public Tensor Flatten(long startDim = 0, long endDim = -1) => NativeCall.Wrap(NativeMethods.tl_flatten(Handle, startDim, endDim));

    /// <summary>One-hot encoding of an int64 tensor of class indices (result int64, one more dimension).</summary>
    public Tensor OneHot(long numClasses) => NativeCall.Wrap(NativeMethods.tl_one_hot(Handle, numClasses));

    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: false);

    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: true);

    static unsafe Tensor Combine(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        if (tensors.Count == 0) throw new ArgumentException("need at least one tensor", nameof(tensors));
        var handles = new TensorHandle[tensors.Count];
        var raw = stackalloc nint[tensors.Count];
        var added = 0;
        try
        {
            for (; added < tensors.Count; added++)
            {
                var ok = false;
                handles[added] = tensors[added].Handle;
                handles[added].DangerousAddRef(ref ok);
                raw[added] = handles[added].DangerousGetHandle();
            }
            return NativeCall.Wrap(stack ? NativeMethods.tl_stack(raw, tensors.Count, dim) : NativeMethods.tl_cat(raw, tensors.Count, dim));
        }
        finally
        {
            for (var i = 0; i < added; i++) handles[i].DangerousRelease();
        }
    }
}
