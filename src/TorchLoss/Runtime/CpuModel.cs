using System.Runtime.InteropServices;

namespace TorchLoss.Runtime;

/// <summary>
/// The CPU, described once: results differ in the last bits between CPU models (oneMKL takes another code path), so
/// every measurement and run names the CPU it ran on. Virtual machines often report only "AMD EPYC", so the family,
/// model and widest vector extension follow the name: "AMD EPYC (family 25, model 1, AVX2)".
/// </summary>
static class CpuModel
{
    static readonly Lazy<string> description = new(Describe);

    public static string Description => description.Value;

    static string Describe()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo")) return FromCpuInfo(File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).ToList());
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The description from the first processor's lines of /proc/cpuinfo.</summary>
    internal static string FromCpuInfo(IReadOnlyList<string> lines)
    {
        string? Field(string key) => lines
            .Select(l => l.Split(':', 2))
            .Where(kv => kv.Length == 2 && kv[0].Trim() == key)
            .Select(kv => kv[1].Trim())
            .FirstOrDefault();
        var name = Field("model name") is { Length: > 0 } n ? n : RuntimeInformation.ProcessArchitecture.ToString();
        var flags = (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var vector = flags.Contains("avx512f") ? "AVX-512" : flags.Contains("avx2") ? "AVX2" : flags.Contains("avx") ? "AVX" : null;
        var details = new[] { Field("cpu family") is { } f ? $"family {f}" : null, Field("model") is { } m ? $"model {m}" : null, vector }
            .OfType<string>().ToList();
        return details.Count == 0 ? name : $"{name} ({string.Join(", ", details)})";
    }
}
