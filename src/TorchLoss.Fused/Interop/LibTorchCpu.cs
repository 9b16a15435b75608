using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchLoss.Fused.Interop;

/// <summary>
/// Exports of the libtorch_cpu that TorchSharp loaded. libtorch_cpu embeds oneMKL and exports its Fortran sgemm_/dgemm_
/// and some MKL service functions; they are not visible through dlsym(RTLD_DEFAULT) in .NET, so they are looked up in
/// the library itself, which is already loaded: loading it again by name returns the same library, never a second libtorch.
/// </summary>
internal static class LibTorchCpu
{
    static readonly Lazy<nint> Handle = new(Load);

    /// <summary>The address of an exported symbol, or 0 (another platform or build of libtorch).</summary>
    public static nint Export(string symbol) =>
        Handle.Value != 0 && NativeLibrary.TryGetExport(Handle.Value, symbol, out var address) ? address : 0;

    static nint Load()
    {
        torch.get_num_threads();  // TorchSharp loads libtorch on its first call
        foreach (var name in new[] { "libtorch_cpu.so", "libtorch_cpu.dylib", "torch_cpu.dll" })
            if (NativeLibrary.TryLoad(name, typeof(torch).Assembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories,
                    out var library))
                return library;
        return 0;
    }
}
