using System.Diagnostics;

namespace TorchLoss.Benchmarking;

/// <summary>
/// One other CPU-bound process for as long as this object lives: a shell spinning in a loop, the kind of neighbour a
/// shared machine has. `bench --under-load` measures train's default with and without one.
/// </summary>
public sealed class CpuLoad : IDisposable
{
    readonly Process process;

    CpuLoad(Process process) => this.process = process;

    public int ProcessId => process.Id;

    public static CpuLoad Start()
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("while :; do :; done");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh for the CPU load");
        // Let the scheduler see it running before anything is timed.
        Thread.Sleep(200);
        return new CpuLoad(process);
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit();
        }
        finally
        {
            process.Dispose();
        }
    }
}
