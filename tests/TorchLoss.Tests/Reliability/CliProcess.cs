using System.Diagnostics;
using TorchLoss.Data;

namespace TorchLoss.Tests.Reliability;

/// <summary>The built `torchloss` (torchloss.dll beside these tests) run as a child process, as a user runs it, with
/// optional fault injection (see TorchLoss.Runtime.FaultInjection).</summary>
sealed class CliProcess : IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    static string Dll => Path.Combine(AppContext.BaseDirectory, "torchloss.dll");

    /// <summary>MNIST's data folder, where <see cref="TorchLoss.Tests.Data.MnistPresence"/> found it.</summary>
    public static string MnistDataDirectory => Path.GetDirectoryName(DatasetStore.AtDefaultLocation().DirectoryOf("mnist"))!;

    /// <summary>`train` on a 600-image slice of MNIST, 2 epochs of a 784-16-10 MLP (24 steps): seconds, with every kind of
    /// file a run writes.</summary>
    public static string[] SmallTrain(string runsDirectory, string name) =>
    [
        "train", "--data-dir", MnistDataDirectory, "--train-limit", "600", "--validation-size", "100", "--epochs", "2",
        "--model", "mlp:16", "--batch", "50", "--log-every", "4", "--lr", "0.3", "--momentum", "0.9", "--seed", "5",
        "--runs-dir", runsDirectory, "--name", name,
    ];

    readonly Process process;
    readonly Task<string> output;
    readonly Task<string> error;

    CliProcess(Process process)
    {
        this.process = process;
        output = process.StandardOutput.ReadToEndAsync();
        error = process.StandardError.ReadToEndAsync();
    }

    public int Id => process.Id;

    /// <summary>Starts `torchloss ARGS`; <paramref name="fault"/> is TORCHLOSS_FAULT (POINT@N:ACTION), <paramref name="trace"/>
    /// a file for TORCHLOSS_FAULT_TRACE.</summary>
    public static CliProcess Start(IEnumerable<string> args, string? fault = null, string? trace = null)
    {
        Assert.True(File.Exists(Dll), $"{Dll} is missing: the test project references the CLI, which builds it");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("TORCHLOSS_FAULT");
        start.Environment.Remove("TORCHLOSS_FAULT_TRACE");
        if (fault is not null) start.Environment["TORCHLOSS_FAULT"] = fault;
        if (trace is not null) start.Environment["TORCHLOSS_FAULT_TRACE"] = trace;
        return new CliProcess(Process.Start(start)!);
    }

    /// <summary>Runs `torchloss ARGS` to its end: exit code (128 + N when killed by signal N), stdout, stderr.</summary>
    public static (int Code, string Output, string Error) Run(IEnumerable<string> args, string? fault = null, string? trace = null)
    {
        using var child = Start(args, fault, trace);
        return child.Wait();
    }

    public (int Code, string Output, string Error) Wait()
    {
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"torchloss ran longer than {Timeout.TotalMinutes} minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Waits until the process has stopped itself (SIGSTOP through a "stop" fault).</summary>
    public void WaitUntilStopped()
    {
        var clock = Stopwatch.StartNew();
        while (State() != 'T')
        {
            Assert.False(process.HasExited, "the process exited instead of stopping");
            Assert.True(clock.Elapsed < Timeout, "the process did not stop");
            Thread.Sleep(20);
        }
    }

    public void Continue() => Signal("CONT");

    public void Interrupt() => Signal("INT");

    void Signal(string name) => Process.Start("kill", [$"-{name}", process.Id.ToString()])!.WaitForExit();

    char State()
    {
        // /proc/PID/stat: "PID (comm) STATE ..."; comm may hold spaces, so read after the last ')'.
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            try { Continue(); } catch (InvalidOperationException) { }
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process.Dispose();
    }
}
