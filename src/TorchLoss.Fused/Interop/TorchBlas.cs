namespace TorchLoss.Fused.Interop;

/// <summary>
/// The BLAS of the libtorch that TorchSharp loaded (<see cref="LibTorchCpu"/>): the Fortran sgemm_/dgemm_ and
/// MKL_Set_Num_Threads_Local, with which the fused step keeps each of its BLAS calls on one thread.
/// </summary>
internal static class TorchBlas
{
    static readonly Lazy<BlasTable> Table = new(Find);

    /// <summary>The exports found; an entry is 0 where libtorch_cpu lacks it (another platform or build), and the fused
    /// step then uses plain loops.</summary>
    public static BlasTable Current => Table.Value;

    static BlasTable Find() => new()
    {
        Sgemm = LibTorchCpu.Export("sgemm_"),
        Dgemm = LibTorchCpu.Export("dgemm_"),
        // The C entry point; the lower-case mkl_set_num_threads_local is MKL's Fortran one, which takes a pointer.
        SetThreadsLocal = LibTorchCpu.Export("MKL_Set_Num_Threads_Local"),
    };
}
