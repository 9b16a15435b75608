using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchLoss.Fused.Interop;

/// <summary>
/// The BLAS of the libtorch that TorchSharp loaded: libtorch_cpu.so embeds oneMKL and exports the Fortran
/// sgemm_/dgemm_ and MKL_Set_Num_Threads_Local (with which the fused step keeps each of its BLAS calls on one thread).
/// They are not visible through dlsym(RTLD_DEFAULT) in .NET, so they are looked up in libtorch_cpu itself, which is
/// already loaded: loading it again by name returns the same library, never a second libtorch.
/// </summary>
internal static class TorchBlas
{
    static readonly Lazy<BlasTable> Table = new(Find);

    /// <summary>The exports found; an entry is 0 where libtorch_cpu lacks it (another platform or build), and the fused
    /// step then uses plain loops.</summary>
    public static BlasTable Current => Table.Value;

    static BlasTable Find()
    {
        torch.get_num_threads();  // TorchSharp loads libtorch on its first call
        var table = new BlasTable();
        foreach (var name in new[] { "libtorch_cpu.so", "libtorch_cpu.dylib", "torch_cpu.dll" })
        {
            if (!NativeLibrary.TryLoad(name, typeof(torch).Assembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories,
                    out var library))
                continue;
            NativeLibrary.TryGetExport(library, "sgemm_", out table.Sgemm);
            NativeLibrary.TryGetExport(library, "dgemm_", out table.Dgemm);
            // The C entry point; the lower-case mkl_set_num_threads_local is MKL's Fortran one, which takes a pointer.
            NativeLibrary.TryGetExport(library, "MKL_Set_Num_Threads_Local", out table.SetThreadsLocal);
            break;
        }
        return table;
    }
}
