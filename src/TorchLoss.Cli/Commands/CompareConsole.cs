using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using DocumentTable = TorchLoss.Reporting.Documents.Table;
using Spectre.Console;
using TorchLoss.Comparison;
using TorchLoss.Data;
using TorchLoss.Reporting.Documents;
using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>Runs a study for the console: progress bars for the study and the current run on a terminal, one line
/// per run otherwise, then the summary tables and the reading.</summary>
public static class CompareConsole
{
    /// <summary>Runs the study. Cancelling <paramref name="cancellationToken"/> stops the run in progress at its next step
    /// boundary, resumable: the same command then reuses the finished runs and resumes that one.</summary>
    /// <param name="json">one JSON object per line instead: each finished run, then the study's summary.</param>
    /// <param name="png">also a PNG beside each of the study's SVG plots.</param>
    public static int Run(StudyConfig config, string folder, string reproduce, DataCommandServices services, bool json = false,
        bool png = false, CancellationToken cancellationToken = default)
    {
        try
        {
            return RunStudy(config, folder, reproduce, services, json, png, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new CommandInterruptedException(
                $"compare interrupted; finished runs are kept in {Path.GetFullPath(folder)}: rerun the same command to continue: {reproduce}", cancellationToken);
        }
    }

    static int RunStudy(StudyConfig config, string folder, string reproduce, DataCommandServices services, bool json, bool png,
        CancellationToken cancellationToken)
    {
        var output = services.Output;
        var store = services.Store(config.DataDirectory);
        // Only into an empty folder or a study's (checked before the lock file is made in it), one study at a time: the
        // second `compare --out X` is refused, not run over the first one's runs.
        StudyFolder.RequireUsable(folder);
        using var claim = FolderLock.Acquire(folder, "study folder");
        AtomicFile.RemoveLeftovers(folder, recursive: false);
        using var data = TrainingData.Load(StudyData(config), store, cancellationToken: cancellationToken);
        if (json)
        {
            StudyReport.Write(Study.Run(config, folder, data, new JsonObserver(output, cancellationToken)), folder, reproduce);
            if (png) PngExport.WriteBesideEachSvg(Path.Combine(folder, StudyPlots.PlotsDirectory));
            output.WriteLine(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, StudyReport.Json)))!.ToJsonString(JsonFiles.Compact));
            return ExitCodes.Ok;
        }
        output.WriteLine($"compare ({config.Preset}): {config.Heads.Count} heads × {config.Models.Count} models, {config.Seeds} seed(s), " +
                         $"{config.Epochs} epochs; output in {Path.GetFullPath(folder)}");
        StudyResult result;
        if (output == Console.Out && !Console.IsOutputRedirected)
        {
            result = null!;
            AnsiConsole.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context => result = Study.Run(config, folder, data, new BarObserver(context, cancellationToken)));
        }
        else
        {
            result = Study.Run(config, folder, data, new LineObserver(output, cancellationToken));
        }
        var doc = StudyReport.Write(result, folder, reproduce);
        var pngs = png ? PngExport.WriteBesideEachSvg(Path.Combine(folder, StudyPlots.PlotsDirectory)) : 0;
        // The results tables (after the learning-rate table); the confusion matrices stay in the report.
        var results = doc.Blocks.TakeWhile(b => b is not Heading { Text: StudyConfusion.Title }).OfType<DocumentTable>().Skip(1);
        foreach (var table in results) PrintTable(output, table);
        output.WriteLine("Reading:");
        foreach (var finding in doc.Blocks.OfType<BulletList>().First().Items) output.WriteLine($"  - {finding}");
        output.WriteLine($"Report: {Path.GetFullPath(Path.Combine(folder, StudyReport.Markdown))} (and {StudyReport.Html}, " +
                         $"{StudyReport.Json}, {StudyReport.Csv}, plots/{(pngs > 0 ? $", with PNG copies of its {pngs} plots" : "")})");
        return ExitCodes.Ok;
    }

    /// <summary>The data every run of the study trains on.</summary>
    internal static TrainConfig StudyData(StudyConfig config) => new()
    {
        Dataset = config.Dataset, Device = config.Device, TrainLimit = config.TrainLimit, ValidationSize = config.ValidationSize, Table = config.Table,
    };

    /// <summary>The width a console table keeps to: wider ones fold into several, each led by the first column (the arm).</summary>
    internal const int ConsoleWidth = 80;

    internal static void PrintTable(TextWriter output, DocumentTable table)
    {
        var widths = table.Header.Select((h, i) => Math.Max(h.Length, table.Rows.Max(r => r[i].Length))).ToArray();
        foreach (var columns in Folds(widths))
        {
            string Line(IReadOnlyList<string> cells) => string.Join("  ", columns.Select(i => cells[i].PadRight(widths[i]))).TrimEnd();
            output.WriteLine(Line(table.Header));
            foreach (var row in table.Rows) output.WriteLine(Line(row));
            output.WriteLine();
        }
    }

    /// <summary>Column groups that each fit <see cref="ConsoleWidth"/> with the first column repeated; a column wider than
    /// that on its own still gets a group.</summary>
    static List<List<int>> Folds(int[] widths)
    {
        var folds = new List<List<int>>();
        var current = new List<int> { 0 };
        var width = widths[0];
        for (var i = 1; i < widths.Length; i++)
        {
            if (current.Count > 1 && width + 2 + widths[i] > ConsoleWidth)
            {
                folds.Add(current);
                current = [0];
                width = widths[0];
            }
            current.Add(i);
            width += 2 + widths[i];
        }
        folds.Add(current);
        return folds;
    }

    /// <summary>"[3/54] trained runs/ARM/seed-1: test error 2.29 % (1.4 s)", the line each finished run gets.</summary>
    internal static string FinishedLine(int index, int total, RunResult result, TimeSpan elapsed)
    {
        var error = result.Summary.FinalTestError ?? result.Summary.BestValidationError;
        var what = result.Summary.FinalTestError is null ? "validation error" : "test error";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{index}/{total}] {(result.Reused ? "reused " : "trained")} {result.Run.Folder}: {what} {error:P2}" +
            $"{(result.Reused ? "" : $" ({elapsed.TotalSeconds:F1} s)")}");
    }

    /// <summary>One line per finished run (also what `compare --shard` prints).</summary>
    internal sealed class LineObserver(TextWriter output, CancellationToken cancellationToken) : IStudyObserver
    {
        readonly System.Diagnostics.Stopwatch clock = new();

        // Throwing here stops the run in progress at this step boundary, resumable (see ITrainingObserver.StepCompleted).
        public void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch) => cancellationToken.ThrowIfCancellationRequested();

        public void RunStarting(int index, int total, PlannedRun run, int epochs, int stepsPerEpoch) => clock.Restart();

        public void RunDiscarded(int index, int total, PlannedRun run, string reason) =>
            output.WriteLine($"[{index}/{total}] redoing {run.Folder}: {reason}");

        public void RunFinished(int index, int total, RunResult result) => output.WriteLine(FinishedLine(index, total, result, clock.Elapsed));
    }

    /// <summary>`compare --json`: one object per finished run, with the file names' snake_case keys and the run's own
    /// summary.json under "summary".</summary>
    sealed class JsonObserver(TextWriter output, CancellationToken cancellationToken) : IStudyObserver
    {
        readonly System.Diagnostics.Stopwatch clock = new();

        public void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch) => cancellationToken.ThrowIfCancellationRequested();

        public void RunStarting(int index, int total, PlannedRun run, int epochs, int stepsPerEpoch) => clock.Restart();

        public void RunDiscarded(int index, int total, PlannedRun run, string reason) =>
            output.WriteLine(new JsonObject { ["index"] = index, ["total"] = total, ["folder"] = run.Folder, ["redoing"] = reason }.ToJsonString(JsonFiles.Compact));

        public void RunFinished(int index, int total, RunResult result) => output.WriteLine(new JsonObject
        {
            ["index"] = index,
            ["total"] = total,
            ["folder"] = result.Run.Folder,
            ["reused"] = result.Reused,
            ["seconds"] = result.Reused ? null : Math.Round(clock.Elapsed.TotalSeconds, 3),
            ["summary"] = JsonSerializer.SerializeToNode(result.Summary, JsonFiles.Compact),
        }.ToJsonString(JsonFiles.Compact));
    }

    /// <summary>On a terminal: two bars, the study's and the current run's (one bar, relabelled for each run), and above
    /// them the line each finished run gets.</summary>
    sealed class BarObserver(ProgressContext context, CancellationToken cancellationToken) : IStudyObserver
    {
        readonly System.Diagnostics.Stopwatch clock = new();
        ProgressTask? study, run;

        public void RunStarting(int index, int total, PlannedRun plannedRun, int epochs, int stepsPerEpoch)
        {
            clock.Restart();
            study ??= context.AddTask("study", maxValue: total);
            run ??= context.AddTask("run");
            run.Description = Markup.Escape(plannedRun.Folder);
            run.MaxValue = epochs * (double)stepsPerEpoch;
            run.Value = 0;
        }

        public void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            run!.Value = (epoch - 1) * (double)stepsPerEpoch + stepInEpoch;
        }

        public void RunDiscarded(int index, int total, PlannedRun plannedRun, string reason) =>
            AnsiConsole.WriteLine($"[{index}/{total}] redoing {plannedRun.Folder}: {reason}");

        public void RunFinished(int index, int total, RunResult result)
        {
            study ??= context.AddTask("study", maxValue: total);
            study.Value = index;
            AnsiConsole.WriteLine(FinishedLine(index, total, result, clock.Elapsed));
        }
    }
}
