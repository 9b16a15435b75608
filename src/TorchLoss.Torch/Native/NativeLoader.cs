using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TorchLoss.Torch.Native;

/// <summary>Finds libtorchloss_native.so: $TORCHLOSS_NATIVE when set, else next to the application or this
/// assembly. A failure names every place tried, so a user knows to build the shim.</summary>
internal static class NativeLoader
{
    public const string LibraryName = "torchloss_native";
    const string FileName = "libtorchloss_native.so";

    // The resolver must be in place before the first P/Invoke, whichever type makes it.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLoader).Assembly, Resolve);

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        var tried = new List<string>();
        foreach (var candidate in Candidates(assembly))
        {
            if (!File.Exists(candidate)) { tried.Add($"{candidate} (missing)"); continue; }
            try { return NativeLibrary.Load(candidate); }
            catch (DllNotFoundException e) { tried.Add($"{candidate} ({FirstLine(e.Message)})"); }
        }
        throw new DllNotFoundException(
            $"cannot load the TorchLoss native shim; tried {string.Join("; ", tried)}. " +
            "Run scripts/setup.sh (installs libtorch) and build with 'dotnet build'.");
    }

    static IEnumerable<string> Candidates(Assembly assembly)
    {
        var fromEnv = Environment.GetEnvironmentVariable("TORCHLOSS_NATIVE");
        if (!string.IsNullOrEmpty(fromEnv)) yield return fromEnv;
        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        var assemblyDir = Path.GetDirectoryName(assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDir)) yield return Path.Combine(assemblyDir, FileName);
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
