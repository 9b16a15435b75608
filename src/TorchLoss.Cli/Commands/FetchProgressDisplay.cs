using Spectre.Console;
using TorchLoss.Data;

namespace TorchLoss.Cli.Commands;

/// <summary>Progress bars (on stderr) for the files a fetch downloads, one per file.</summary>
sealed class FetchProgressDisplay(ProgressContext context) : IProgress<FetchProgress>
{
    readonly Dictionary<string, ProgressTask> tasks = new();

    public void Report(FetchProgress value)
    {
        lock (tasks)
        {
            var key = $"{value.Dataset}/{value.File}";
            if (!tasks.TryGetValue(key, out var task))
                tasks[key] = task = context.AddTask(Markup.Escape(key), maxValue: value.BytesTotal);
            task.Value = value.BytesDone;
        }
    }

    /// <summary>Runs <paramref name="work"/> with progress bars when <paramref name="show"/>, else with no progress callback.</summary>
    public static async Task<T> RunAsync<T>(bool show, Func<IProgress<FetchProgress>?, Task<T>> work)
    {
        if (!show) return await work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(context => work(new FetchProgressDisplay(context)));
    }
}
