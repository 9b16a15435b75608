using System.Runtime.InteropServices;
using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

/// <summary>Process-wide libtorch settings: versions, seeding, thread counts, CUDA.</summary>
public static class TorchRuntime
{
    public static string Version => Marshal.PtrToStringUTF8(NativeMethods.tl_torch_version()) ?? "unknown";

    /// <summary>The BLAS libtorch calls (OpenBLAS reports its build configuration).</summary>
    public static string Blas => Marshal.PtrToStringUTF8(NativeMethods.tl_blas_name()) ?? "unknown";

    public static bool CudaIsAvailable => NativeMethods.tl_cuda_is_available() != 0;

    public static int CudaDeviceCount => NativeMethods.tl_cuda_device_count();

    /// <summary>Waits for all queued work on a CUDA device (-1: the current one).</summary>
    public static void CudaSynchronize(int deviceIndex = -1) => NativeCall.Check(NativeMethods.tl_cuda_synchronize(deviceIndex));

    /// <summary>Seeds libtorch's generators (CPU and every CUDA device): same seed, same numbers on CPU.</summary>
    public static void ManualSeed(ulong seed) => NativeCall.Check(NativeMethods.tl_manual_seed(seed));

    /// <summary>libtorch's intra-op thread count.</summary>
    public static int Threads
    {
        get => NativeMethods.tl_get_num_threads();
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "thread count must be at least 1");
            NativeCall.Check(NativeMethods.tl_set_num_threads(value));
        }
    }

    /// <summary>The BLAS library's own thread count, or null when the BLAS offers no control.</summary>
    public static int? BlasThreads
    {
        get { var n = NativeMethods.tl_get_blas_threads(); return n < 0 ? null : n; }
        set
        {
            if (value is null) return;
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "thread count must be at least 1");
            if (NativeMethods.tl_set_blas_threads(value.Value) != 0)
                throw new TorchException("this BLAS offers no thread control (OpenBLAS does)");
        }
    }
}
