using System.Diagnostics;
using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Reliability;

/// <summary>
/// Ctrl-C while `torchloss train` draws its live progress bar on a terminal: script(1) gives the child a pseudo-terminal
/// (and records what it writes), the test sends SIGINT as the terminal would. The cursor the progress display hid is
/// shown again, the resume line is printed, and the exit code is 130.
/// </summary>
public class TerminalInterruptTests : IDisposable
{
    const string HideCursor = "\u001b[?25l";
    const string ShowCursor = "\u001b[?25h";
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [MnistPresentFact]
    public void CtrlCOnATerminalRestoresTheCursorAndSaysHowToResume()
    {
        var log = temp["terminal.log"];
        var run = temp["runs/on-terminal"];
        string[] train =
        [
            "exec", "dotnet", Path.Combine(AppContext.BaseDirectory, "torchloss.dll"), "train", "--data-dir", CliProcess.MnistDataDirectory,
            "--train-limit", "20000", "--validation-size", "100", "--epochs", "1000", "--model", "mlp:16", "--batch", "20",
            "--runs-dir", temp["runs"], "--name", "on-terminal",
        ];
        // -e: script exits with the child's code; -f: the log is written as output arrives; exec: the child is script's own.
        using var script = Process.Start(new ProcessStartInfo("script", ["-qfec", string.Join(' ', train.Select(Quote)), log])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        })!;
        var clock = Stopwatch.StartNew();
        // The bar's label "epoch 1/1000", or epoch 1's line ("epoch    1/1000  lr ...") when the epoch ended before the
        // display first refreshed.
        while (!(File.Exists(log) && System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(log), "epoch +1/1000")))
        {
            Assert.False(script.HasExited, $"script(1) ended before the progress bar appeared: {Read(log)}");
            Assert.True(clock.Elapsed < Limit, "no progress bar appeared");
            Thread.Sleep(50);
        }
        var child = Children(script.Id).Single();
        Process.Start("kill", ["-INT", child.ToString()])!.WaitForExit();
        if (!script.WaitForExit(Limit)) script.Kill(entireProcessTree: true);

        var screen = Read(log);
        Assert.True(script.ExitCode == 130, $"exit {script.ExitCode}: {screen}");
        Assert.Contains(HideCursor, screen);
        Assert.True(screen.LastIndexOf(ShowCursor, StringComparison.Ordinal) > screen.LastIndexOf(HideCursor, StringComparison.Ordinal),
            "the cursor is still hidden");
        Assert.Contains($"torchloss: interrupted; resume with: torchloss train --resume {run}", screen);
    }

    /// <summary>compare on a terminal: the study's bar and the current run's, with a line above them for every finished run.</summary>
    [Fact]
    public void CompareOnATerminalDrawsTheStudysBarAndALinePerFinishedRun()
    {
        File.WriteAllText(temp["a.csv"], Data.Tables.TableFiles.Animals(rowsPerClass: 10));
        var log = temp["compare.log"];
        string[] compare =
        [
            "exec", "dotnet", Path.Combine(AppContext.BaseDirectory, "torchloss.dll"), "compare", "--quick", "--dataset", $"csv:{temp["a.csv"]}",
            "--heads", "softmax-ce", "--seeds", "1", "--epochs", "2", "--fine-tune-epochs", "0", "--lr-grid", "0.3", "--tuning-epochs", "1",
            "--init-scales", "1", "--out", temp["study"],
        ];
        using var script = Process.Start(new ProcessStartInfo("script", ["-qfec", string.Join(' ', compare.Select(Quote)), log])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        })!;
        if (!script.WaitForExit(Limit)) script.Kill(entireProcessTree: true);
        var screen = Read(log);
        Assert.True(script.ExitCode == 0, $"exit {script.ExitCode}: {screen}");
        Assert.Contains("study", screen);
        foreach (var run in new[] { "[1/4] trained tuning/mlp-16-16/softmax-ce/lr-0.3", "[4/4] trained runs/linear_softmax-ce/seed-1" })
            Assert.Contains(run, screen);
    }

    static string Quote(string word) => $"'{word.Replace("'", "'\\''")}'";

    static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    static IEnumerable<int> Children(int pid) => Directory.GetDirectories($"/proc/{pid}/task")
        .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(int.Parse);
}
