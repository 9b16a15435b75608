namespace TorchLoss.Runtime;

/// <summary>
/// The BLAS inside TorchSharp's libtorch: libtorch_cpu embeds oneMKL and exports the Fortran sgemm_/dgemm_ and MKL's
/// service functions (looked up in libtorch_cpu itself; see TorchLoss.Fused's LibTorchCpu).
/// </summary>
public static class Blas
{
    /// <summary>The address of an exported libtorch_cpu symbol, or 0.</summary>
    public static nint Export(string symbol) => Fused.Interop.LibTorchCpu.Export(symbol);

    /// <summary>Fortran sgemm_ (column-major), or 0 when libtorch does not export it.</summary>
    public static nint Sgemm => Export("sgemm_");

    /// <summary>Fortran dgemm_ (column-major), or 0 when libtorch does not export it.</summary>
    public static nint Dgemm => Export("dgemm_");

    /// <summary>MKL's thread count for BLAS calls made on this thread, or null when the BLAS offers no control.</summary>
    public static unsafe int? Threads
    {
        get
        {
            var f = Export("MKL_Get_Max_Threads");
            return f == 0 ? null : ((delegate* unmanaged<int>)f)();
        }
    }

    /// <summary>Sets MKL's thread count for BLAS calls made on the calling thread (MKL_Set_Num_Threads_Local, the C entry point: the lower-case export is the Fortran one, which takes a pointer; 0 goes back
    /// to the global count, which libtorch's set_num_threads sets). False when the BLAS offers no control.</summary>
    public static unsafe bool SetThreadsOnThisThread(int threads)
    {
        var f = Export("MKL_Set_Num_Threads_Local");
        if (f == 0) return false;
        ((delegate* unmanaged<int, int>)f)(threads);
        return true;
    }

    /// <summary>
    /// oneMKL's conditional numerical reproducibility mode as MKL reports it: "AUTO" (what <see cref="TorchRuntime"/>
    /// asks for unless MKL_CBWR is set), "off", another code path's name, or null when the BLAS is not oneMKL. Without
    /// it, MKL's sgemm rounds differently for input that is not 64-byte aligned.
    /// </summary>
    public static unsafe string? Reproducibility
    {
        get
        {
            // mkl_serv_cbwr_get is the service function behind MKL_CBWR_Get, which libtorch_cpu does not export.
            var f = Export("mkl_serv_cbwr_get");
            if (f == 0) return null;
            const int branchOption = 1;
            return ((delegate* unmanaged<int, int>)f)(branchOption) switch
            {
                1 => "off",
                2 => "AUTO",
                3 => "COMPATIBLE",
                var other => $"code path {other}",
            };
        }
    }

    /// <summary>"Intel(R) oneAPI Math Kernel Library Version 2024.2 ... (in libtorch_cpu)" or what is known.</summary>
    public static unsafe string Describe()
    {
        var version = Export("MKL_Get_Version_String");
        if (version != 0)
        {
            var buffer = new byte[256];
            fixed (byte* b = buffer) ((delegate* unmanaged<byte*, int, void>)version)(b, buffer.Length);
            var text = System.Text.Encoding.ASCII.GetString(buffer).TrimEnd('\0', ' ');
            return $"{text} (in libtorch_cpu)";
        }
        return Sgemm != 0 ? "sgemm_ exported by libtorch_cpu" : "libtorch's internal BLAS (no exported sgemm_)";
    }
}
