using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

public sealed partial class Tensor
{
    static Device Resolve(Device? device)
    {
        var d = device ?? Device.Cpu;
        d.EnsureAvailable();
        return d;
    }

    public static unsafe Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = Resolve(device);
        fixed (long* p = shape) return NativeCall.Wrap(NativeMethods.tl_empty(p, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    public static unsafe Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = Resolve(device);
        fixed (long* p = shape) return NativeCall.Wrap(NativeMethods.tl_zeros(p, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    public static unsafe Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = Resolve(device);
        fixed (long* p = shape) return NativeCall.Wrap(NativeMethods.tl_ones(p, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    public static unsafe Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var d = Resolve(device);
        fixed (long* p = shape)
            return NativeCall.Wrap(NativeMethods.tl_full(p, shape.Length, value, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Values start, start+step, ... below end (like torch.arange).</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        var d = Resolve(device);
        return NativeCall.Wrap(NativeMethods.tl_arange(start, end, step, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Uniform on [0, 1).</summary>
    public static unsafe Tensor Rand(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = Resolve(device);
        fixed (long* p = shape) return NativeCall.Wrap(NativeMethods.tl_rand(p, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Standard normal.</summary>
    public static unsafe Tensor Randn(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = Resolve(device);
        fixed (long* p = shape) return NativeCall.Wrap(NativeMethods.tl_randn(p, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Integers uniform on [low, high).</summary>
    public static unsafe Tensor Randint(long low, long high, ReadOnlySpan<long> shape, DType dtype = DType.Int64, Device? device = null)
    {
        var d = Resolve(device);
        fixed (long* p = shape)
            return NativeCall.Wrap(NativeMethods.tl_randint(low, high, p, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>A random permutation of 0..n-1 (int64).</summary>
    public static Tensor Randperm(long n, Device? device = null)
    {
        var d = Resolve(device);
        return NativeCall.Wrap(NativeMethods.tl_randperm(n, (int)d.Type, d.Index));
    }

    /// <summary>Copies managed data into a new CPU tensor of the given shape (default: one dimension).</summary>
    public static unsafe Tensor FromArray<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape = default) where T : unmanaged
    {
        long[] dims = shape.IsEmpty ? [data.Length] : shape.ToArray();
        long count = 1;
        foreach (var n in dims) count *= n;
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", dims)}] needs {count} elements but {data.Length} were given");
        fixed (T* src = data)
        fixed (long* p = dims)
            return NativeCall.Wrap(NativeMethods.tl_from_buffer(src, p, dims.Length, (int)DTypeExtensions.Of<T>()));
    }

    public static Tensor FromArray<T>(T[] data, ReadOnlySpan<long> shape = default) where T : unmanaged =>
        FromArray((ReadOnlySpan<T>)data, shape);

    /// <summary>A zero-dimensional tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null)
    {
        var d = Resolve(device);
        return NativeCall.Wrap(NativeMethods.tl_scalar_tensor(value, (int)dtype, (int)d.Type, d.Index));
    }

    public Tensor To(Device device, bool nonBlocking = false)
    {
        device.EnsureAvailable();
        return NativeCall.Wrap(NativeMethods.tl_to_device(Handle, (int)device.Type, device.Index, nonBlocking ? 1 : 0));
    }

    public Tensor To(DType dtype) => NativeCall.Wrap(NativeMethods.tl_to_dtype(Handle, (int)dtype));

    public Tensor Clone() => NativeCall.Wrap(NativeMethods.tl_clone(Handle));

    public Tensor Contiguous() => NativeCall.Wrap(NativeMethods.tl_contiguous(Handle));

    /// <summary>A second handle to the same tensor (same storage, same autograd identity).</summary>
    public Tensor Alias() => NativeCall.Wrap(NativeMethods.tl_alias(Handle));
}
