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
        while (!(File.Exists(log) && File.ReadAllText(log).Contains("epoch 1/1000", StringComparison.Ordinal)))
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

    static string Quote(string word) => $"'{word.Replace("'", "'\\''")}'";

    static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    static IEnumerable<int> Children(int pid) => Directory.GetDirectories($"/proc/{pid}/task")
        .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(int.Parse);
}
