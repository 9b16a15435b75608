using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchLoss.Cli;
using TorchLoss.Data;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>A real SIGINT sent to a `torchloss train` child process with redirected output: it stops cleanly (exit 130,
/// one line on stderr) and its run folder resumes. Uses MNIST from the default data directory (skipped without it).</summary>
public sealed class SignalTests : IDisposable
{
    const int SigInt = 2;
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [MnistPresentFact]
    public void Sigint_during_train_exits_130_with_one_line_and_the_run_resumes()
    {
        var run = new RunFolder(temp["signalled"]);
        using var child = Start("train", "--name", "signalled", "--runs-dir", temp.Path, "--model", "linear", "--train-limit", "2000",
            "--validation-size", "500", "--batch", "100", "--epochs", "100000", "--seed", "1");
        var signalled = new TaskCompletionSource();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("epoch ", StringComparison.Ordinal) == true && signalled.TrySetResult()) kill(child.Id, SigInt);
        };
        var error = child.StandardError.ReadToEndAsync();
        child.BeginOutputReadLine();
        var exited = child.WaitForExit(Limit);
        if (!exited) child.Kill(entireProcessTree: true);
        Assert.True(exited, $"torchloss train did not stop within {Limit.TotalSeconds} s of starting");
        Assert.True(signalled.Task.IsCompleted, $"the run ended before an epoch completed: {error.Result}");

        Assert.Equal(ExitCodes.Interrupted, child.ExitCode);
        Assert.Equal($"torchloss: interrupted; resume with: torchloss train --resume {run.Path}", error.Result.TrimEnd());
        Assert.True(File.Exists(run.File(RunFolder.IncompleteMarker)));
        var epoch = JsonFiles.Read<TrainingState>(run.File(RunFolder.StateFile)).Epoch;

        using var resumed = Start("train", "--resume", run.Path, "--epochs", (epoch + 1).ToString());
        var resumedError = resumed.StandardError.ReadToEndAsync();
        var resumedOutput = resumed.StandardOutput.ReadToEndAsync();
        Assert.True(resumed.WaitForExit(Limit), "the resumed run did not finish");
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumedError.Result);
        Assert.Contains($"resuming at epoch {epoch + 1}", resumedOutput.Result);
        Assert.True(run.IsComplete);
    }

    /// <summary>The CLI built next to the tests, on the same data directory, its output redirected.</summary>
    static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "torchloss"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment[DataDirectory.EnvironmentVariable] = DatasetStore.AtDefaultLocation().Directory;
        return Process.Start(start)!;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
