using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TorchLoss.Data;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>Runs a trainer for the console: a live progress bar per epoch when stdout is a terminal, one line
/// per epoch, and with --json one JSON object per epoch and one for the summary instead.</summary>
public static class TrainConsole
{
    /// <summary>Trains. Cancelling <paramref name="cancellationToken"/> stops the run at the next step boundary, incomplete and
    /// resumable from its last checkpoint, with a <see cref="CommandInterruptedException"/> that says how to resume.</summary>
    public static RunSummary Run(TrainConfig config, ClassificationData data, RunFolder run, bool resume, bool json, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return Run(config, data, run, resume, json, output, cancellationToken, interactive: !json && output == Console.Out && !Console.IsOutputRedirected);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Once config.json exists the run resumes (from the initial model's checkpoint, or from scratch before it).
            throw new CommandInterruptedException(File.Exists(run.File(RunFolder.ConfigFile))
                ? $"interrupted; resume with: torchloss train --resume {run.Path}"
                : "interrupted before the run started; nothing was trained: run the same command again",
                cancellationToken);
        }
    }

    static RunSummary Run(TrainConfig config, ClassificationData data, RunFolder run, bool resume, bool json, TextWriter output,
        CancellationToken cancellationToken, bool interactive)
    {
        if (!interactive)
        {
            var observer = new LineObserver(output, json, cancellationToken);
            var summary = Start(config, data, run, resume, observer);
            observer.Finished(run, summary);
            return summary;
        }
        var console = AnsiConsole.Console;
        RunSummary result = null!;
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var observer = new LineObserver(new ConsoleLineWriter(console), json: false, cancellationToken, context);
                result = Start(config, data, run, resume, observer);
                observer.Finished(run, result);
            });
        return result;
    }

    static RunSummary Start(TrainConfig config, ClassificationData data, RunFolder run, bool resume, ITrainingObserver observer)
    {
        var trainer = new Trainer(config, data, run, observer);
        return resume ? trainer.Resume() : trainer.Run();
    }

    /// <summary>One epoch's line; every field has a fixed width, so the lines of a run align in columns (the epoch
    /// count's digits set the first).</summary>
    public static string EpochLine(EpochRecord r, int epochs)
    {
        var invariant = CultureInfo.InvariantCulture;
        string Percent(double? value, int width) => (value?.ToString("P2", invariant) ?? "-").PadLeft(width);
        var digits = epochs.ToString(invariant).Length;
        return string.Create(invariant,
            $"epoch {r.Epoch.ToString(invariant).PadLeft(digits)}/{epochs}  lr {r.LearningRate,-7:G3}  train loss {r.TrainLoss,7:F4} err {Percent(r.TrainError, 8)}  " +
            $"val err {Percent(r.Validation?.Error, 8)}  test err {Percent(r.Test?.Error, 8)}  " +
            $"|dL/dz| {r.Statistics.OutputGradientNorm,-8:G3}  saturated {r.Statistics.SaturatedFraction,7:P1} (wrongly {r.Statistics.WrongSaturatedFraction,6:P1})  " +
            $"{r.StepsPerSecond,6:F0} steps/s");
    }

    /// <summary>Writes lines through Spectre so they appear above the live progress bar.</summary>
    sealed class ConsoleLineWriter(IAnsiConsole console) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void WriteLine(string? value) => console.WriteLine(value ?? "");
    }

    sealed class LineObserver(TextWriter output, bool json, CancellationToken cancellationToken, ProgressContext? progress = null) : ITrainingObserver
    {
        int epochs;
        ProgressTask? task;

        public void RunStarted(RunEnvironment e, int firstEpoch, int epochs, int stepsPerEpoch)
        {
            this.epochs = epochs;
            if (json) return;
            output.WriteLine($"{e.ModelDescription}, {e.HeadDescription} ({e.LossConvention})");
            output.WriteLine($"{e.DataDescription}");
            output.WriteLine($"device {e.Device}, {e.Engine} engine{(e.EngineNote is { } note ? $" ({note})" : "")}, {e.IntraOpThreads} intra-op thread(s), " +
                             $"{(e.BlasThreads is { } b ? $"{b} BLAS thread(s)" : "BLAS threads not controllable")}, " +
                             $"{(firstEpoch > 1 ? $"resuming at epoch {firstEpoch}" : "starting")}");
        }

        public void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (progress is null) return;
            if (stepInEpoch == 1) task = progress.AddTask($"epoch {epoch}/{epochs}", maxValue: stepsPerEpoch);
            task!.Value = stepInEpoch;
        }

        public void EpochCompleted(EpochRecord record)
        {
            task?.StopTask();
            output.WriteLine(json
                ? JsonSerializer.Serialize(EpochMetrics.Epoch(record, record.Statistics.GradientNorms.Keys.ToList())
                    .Values.Where(v => double.IsFinite(v.Value)).Prepend(KeyValuePair.Create("epoch", (double)record.Epoch))
                    .ToDictionary(v => v.Key, v => v.Value))
                : EpochLine(record, epochs));
        }

        public void Finished(RunFolder run, RunSummary summary)
        {
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new { run = run.Path, summary }, JsonFiles.Options).ReplaceLineEndings(" "));
                return;
            }
            var invariant = CultureInfo.InvariantCulture;
            var best = summary.BestEpoch is { } b
                ? string.Create(invariant, $", best validation error {summary.BestValidationError:P2} at epoch {b}") +
                  (summary.TestErrorAtBestEpoch is { } there ? string.Create(invariant, $" (test error {there:P2})") : "")
                : "";
            var when = summary.Epochs == 0 ? "of the initial model" : $"after {summary.Epochs} epoch(s)";
            var error = summary.FinalTestError is { } test ? $"test error {test.ToString("P2", invariant)}"
                : $"validation error {summary.FinalValidationError?.ToString("P2", invariant) ?? "-"} (the test split is not scored)";
            output.WriteLine(string.Create(invariant, $"{summary.Status}: {error} {when}{best}. ") +
                             $"{summary.Message}{(summary.Message is null ? "" : " ")}Run folder: {run.Path}");
        }
    }
}
