using System.Diagnostics;

namespace TorchLoss.Tests.Reliability;

/// <summary>A small tmpfs the disk-full tests mount and fill; it needs root (or CAP_SYS_ADMIN), so those tests are
/// reported as skipped, with the reason, where mounting is refused.</summary>
static class Tmpfs
{
    static readonly Lazy<string?> SkipReasonOnce = new(() =>
    {
        var probe = Directory.CreateTempSubdirectory("torchloss-tmpfs-probe-").FullName;
        try
        {
            if (!Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe)) return "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)";
            Run("umount", probe);
            return null;
        }
        finally { Directory.Delete(probe); }
    });

    public static string? SkipReason => SkipReasonOnce.Value;

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "96k") on <paramref name="directory"/>.</summary>
    public static void Mount(string directory, string size) =>
        Assert.True(Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", directory), $"mount tmpfs on {directory} failed");

    public static void Resize(string directory, string size) =>
        Assert.True(Run("mount", "-o", $"remount,size={size}", directory), $"remount of {directory} failed");

    public static void Unmount(string directory) => Run("umount", directory);

    static bool Run(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}

public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute() => Skip = Data.MnistPresence.SkipReason() ?? Tmpfs.SkipReason;
}

public sealed class TmpfsTheoryAttribute : TheoryAttribute
{
    public TmpfsTheoryAttribute() => Skip = Data.MnistPresence.SkipReason() ?? Tmpfs.SkipReason;
}
