using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Runtime;

/// <summary>
/// Process-wide TorchSharp settings: what native code must see before libtorch starts, versions, seeding, threads and
/// CUDA. Call <see cref="Initialize"/> before the first TorchSharp call (the CLI does so first thing); the library's
/// entry points call it too, which is harmless when TorchSharp is already running.
/// </summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool initialized;
    static int? interopThreads;

    /// <summary>
    /// Sets, through libc and each only unless the user set it:
    /// <list type="bullet">
    /// <item>OMP_WAIT_POLICY=PASSIVE: libtorch's OpenMP threads otherwise spin between parallel regions, and on a loaded
    /// 2-core machine two spinning threads ran 5-20x slower than one;</item>
    /// <item>MKL_CBWR=AUTO: oneMKL's sgemm otherwise takes another path for input that is not 64-byte aligned and rounds
    /// differently (8,065 of 10,000 logits of a 784->10 product differed at an offset of 4 bytes); with it, the same
    /// inputs give the same bits on this machine with the same thread counts, wherever they lie in memory.</item>
    /// </list>
    /// .NET's Environment.SetEnvironmentVariable does not reach native getenv, so this goes through setenv, and it
    /// only takes effect if it happens before libtorch's OpenMP runtime and oneMKL start.
    /// </summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (initialized) return;
            initialized = true;
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                if (NativeEnvironment("OMP_WAIT_POLICY") is null) SetNativeEnvironment("OMP_WAIT_POLICY", "PASSIVE");
                if (NativeEnvironment("MKL_CBWR") is null) SetNativeEnvironment("MKL_CBWR", "AUTO");
            }
        }
    }

    /// <summary>The value native code sees for an environment variable (libc getenv).</summary>
    public static string? NativeEnvironment(string name)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return Environment.GetEnvironmentVariable(name);
        var p = getenv(name);
        return p == 0 ? null : Marshal.PtrToStringUTF8(p);
    }

    static void SetNativeEnvironment(string name, string value)
    {
        if (setenv(name, value, 0) != 0) throw new InvalidOperationException($"setenv({name}) failed");
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv", CharSet = CharSet.Ansi)]
    static extern nint getenv(string name);

    /// <summary>This library's version as built (with the commit it was built from, when known).</summary>
    public static string TorchLossVersion =>
        typeof(TorchRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>TorchSharp's version, e.g. "0.107.0".</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The libtorch version TorchSharp runs on, e.g. "2.10.0".</summary>
    public static string LibTorchVersion
    {
        get
        {
            Initialize();
            var v = torch.__version__;
            return System.Version.TryParse(v, out var parsed) ? parsed.ToString(3) : v;
        }
    }

    /// <summary>"TorchSharp 0.107.0 (libtorch 2.10.0)".</summary>
    public static string Version => $"TorchSharp {TorchSharpVersion} (libtorch {LibTorchVersion})";

    /// <summary>MKL's thread count for BLAS calls on this thread, or null when the BLAS offers no control.</summary>
    public static int? BlasThreads => Runtime.Blas.Threads;

    /// <summary>The BLAS libtorch's CPU kernels call.</summary>
    public static string BlasName => Blas.Describe();

    /// <summary>oneMKL's reproducibility mode (see <see cref="Runtime.Blas.Reproducibility"/>), or null without oneMKL.</summary>
    public static string? BlasReproducibility
    {
        get { Initialize(); return Runtime.Blas.Reproducibility; }
    }

    /// <summary>The CPU's model name as the operating system reports it , family, model and widest vector extension, e.g. "AMD EPYC (family 25, model 1, AVX2)".</summary>
    public static string Processor => CpuModel.Description;

    /// <summary>Whether this TorchSharp backend sees a CUDA device (false with TorchSharp-cpu).</summary>
    public static bool CudaIsAvailable
    {
        get { Initialize(); return torch.cuda.is_available(); }
    }

    public static int CudaDeviceCount
    {
        get { Initialize(); return CudaIsAvailable ? torch.cuda.device_count() : 0; }
    }

    /// <summary>Waits for all queued work on the CUDA devices (nothing without CUDA).</summary>
    public static void CudaSynchronize()
    {
        if (CudaIsAvailable) torch.cuda.synchronize();
    }

    /// <summary>Seeds libtorch's generators (CPU and every CUDA device): same seed, same numbers as PyTorch on CPU.</summary>
    public static void ManualSeed(ulong seed)
    {
        Initialize();
        torch.manual_seed(unchecked((long)seed));
    }

    /// <summary>libtorch's intra-op thread count (OpenMP threads, which also drive MKL's BLAS).</summary>
    public static int Threads
    {
        get { Initialize(); return torch.get_num_threads(); }
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "thread count must be at least 1");
            Initialize();
            torch.set_num_threads(value);
        }
    }

    /// <summary>libtorch's inter-op thread count, or null when this process has not set it. libtorch accepts one
    /// setting per process and aborts the process on a second: a different second value is refused here instead.</summary>
    public static int? InteropThreads
    {
        get { lock (Gate) return interopThreads; }
        set
        {
            if (value is not { } n) return;
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(value), n, "thread count must be at least 1");
            lock (Gate)
            {
                if (interopThreads == n) return;
                if (interopThreads is { } set)
                    throw new InvalidOperationException($"the inter-op thread count is already {set}: libtorch allows setting it once per process");
                Initialize();
                torch.set_num_interop_threads(n);
                interopThreads = n;
            }
        }
    }
}
