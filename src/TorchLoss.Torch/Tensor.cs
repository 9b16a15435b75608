using System.Text;
using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

/// <summary>
/// A libtorch tensor owned through a native handle. Dispose it (or let a <see cref="DisposeScope"/> do so)
/// to free the handle deterministically; using a disposed tensor throws <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    readonly TensorHandle handle;

    internal DisposeScope? Scope;

    internal Tensor(TensorHandle handle)
    {
        this.handle = handle;
        DisposeScope.Current?.Adopt(this);
    }

    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    public bool IsDisposed => handle.IsClosed;

    public void Dispose() => handle.Dispose();

    /// <summary>Hands this tensor to the enclosing scope (or to no scope: the caller then owns it).</summary>
    public Tensor MoveToOuterScope()
    {
        var scope = Scope;
        if (scope is null) return this;
        scope.Release(this);
        scope.Parent?.Adopt(this);
        return this;
    }

    /// <summary>Takes this tensor out of every scope: the caller disposes it.</summary>
    public Tensor DetachFromScope()
    {
        Scope?.Release(this);
        return this;
    }

    public long Dim
    {
        get { NativeCall.Check(NativeMethods.tl_dim(Handle, out var d)); return d; }
    }

    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[Dim];
            fixed (long* p = shape) NativeCall.Check(NativeMethods.tl_shape(Handle, p, shape.Length));
            return shape;
        }
    }

    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? dim + shape.Length : dim];
    }

    public long NumEl
    {
        get { NativeCall.Check(NativeMethods.tl_numel(Handle, out var n)); return n; }
    }

    public DType DType
    {
        get { NativeCall.Check(NativeMethods.tl_dtype(Handle, out var d)); return (DType)d; }
    }

    public Device Device
    {
        get
        {
            NativeCall.Check(NativeMethods.tl_device(Handle, out var type, out var index));
            return new Device((DeviceType)type, index);
        }
    }

    public bool IsLeaf
    {
        get { NativeCall.Check(NativeMethods.tl_is_leaf(Handle, out var leaf)); return leaf != 0; }
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        NativeCall.Check(NativeMethods.tl_item_double(Handle, out var v));
        return v;
    }

    public long ItemInt64()
    {
        NativeCall.Check(NativeMethods.tl_item_int64(Handle, out var v));
        return v;
    }

    /// <summary>Copies the elements (row-major) into a new array; the tensor may live on any device.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var dtype = DType;
        if (DTypeExtensions.Of<T>() != dtype)
            throw new InvalidOperationException($"tensor is {dtype.Name()}, not {typeof(T).Name}");
        var result = new T[NumEl];
        CopyTo<T>(result);
        return result;
    }

    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new InvalidOperationException($"tensor is {DType.Name()}, not {typeof(T).Name}");
        fixed (T* p = destination)
            NativeCall.Check(NativeMethods.tl_copy_to_buffer(Handle, p, (long)destination.Length * sizeof(T)));
    }

    public override string ToString()
    {
        if (IsDisposed) return "Tensor(disposed)";
        var sb = new StringBuilder($"Tensor[{string.Join(", ", Shape)}] {DType.Name()} on {Device}");
        if (NumEl <= 16)
        {
            using var host = To(DType.Float64);
            sb.Append(" [").Append(string.Join(", ", host.ToArray<double>().Select(v => v.ToString("G6")))).Append(']');
        }
        return sb.ToString();
    }
}
