using System.Globalization;
using TorchLoss.Reporting.Documents;
using TorchLoss.Reporting.Plots;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;

namespace TorchLoss.Training;

/// <summary>A finished run's own plots (plots/*.svg: error, loss, ‖dL/dz‖, saturation, gradient and weight norms per epoch, each
/// when its metrics.jsonl has it) and report.md (the settings in a line, the final numbers, the plots), written atomically.</summary>
public static class RunReport
{
    public const string File = "report.md";
    public const string PlotsDirectory = "plots";

    /// <summary>Writes the plots and the report of <paramref name="run"/> from its epoch rows; returns the plots' paths
    /// relative to the run folder.</summary>
    public static IReadOnlyList<string> Write(RunFolder run, TrainConfig config, RunEnvironment environment, RunSummary summary,
        IReadOnlyList<MetricRecord> epochs)
    {
        var figures = Plots(epochs).ToList();
        if (figures.Count > 0) Directory.CreateDirectory(run.File(PlotsDirectory));
        foreach (var (file, plot) in figures) SvgRenderer.Write(run.File(Path.Combine(PlotsDirectory, file)), plot);
        var document = new Document($"Run {run.Name}",
        [
            new Paragraph(Settings(config, environment)),
            new Heading(1, "Result"),
            new BulletList(Result(summary).ToList()),
            new Heading(1, "Plots"),
            new Paragraph("Per epoch; epoch 0 is the initial model, before any step (its ‖dL/dz‖ and saturation measured on the validation split)."),
            .. figures.Select(f => new Figure(f.Plot.Title, $"{PlotsDirectory}/{f.File}")),
        ]);
        AtomicFile.WriteAllText(run.File(File), MarkdownRenderer.Render(document));
        return figures.Select(f => $"{PlotsDirectory}/{f.File}").ToList();
    }

    /// <summary>Deletes the report and plots of <paramref name="run"/>, if any.</summary>
    public static void Remove(RunFolder run)
    {
        System.IO.File.Delete(run.File(File));
        if (Directory.Exists(run.File(PlotsDirectory))) Directory.Delete(run.File(PlotsDirectory), recursive: true);
    }

    /// <summary>The plots the epoch rows allow, by file name: a plot whose metrics were never recorded is left out.</summary>
    public static IEnumerable<(string File, LinePlot Plot)> Plots(IReadOnlyList<MetricRecord> epochs)
    {
        (string, LinePlot)? Of(string file, string title, RunMetric axis, string yLabel, params (string Name, RunMetric Metric, bool Dashed)[] curves)
        {
            var series = curves.Where(c => RunCurves.Has(epochs, c.Metric)).Select(c => RunCurves.Curve(c.Name, epochs, c.Metric, c.Dashed)).ToList();
            return series.Count == 0 ? null : (file, RunCurves.Plot(title, axis, series, yLabel));
        }
        var layers = epochs.FirstOrDefault()?.Values.Select(v => v.Key).Where(k => k.StartsWith("grad_norm_mean/", StringComparison.Ordinal)).ToList() ?? [];
        if (layers.Any(k => k.EndsWith(".weight", StringComparison.Ordinal))) layers = layers.Where(k => k.EndsWith(".weight", StringComparison.Ordinal)).ToList();
        var gradient = new RunMetric("grad-norm", "", "mean ‖∂L/∂W‖ over steps", Percent: false, Log: true);
        return new[]
        {
            Of("error.svg", "Error per epoch", RunMetric.TestError, "error",
                ("train", RunMetric.TrainError, true), ("validation", RunMetric.ValidationError, false), ("test", RunMetric.TestError, false)),
            Of("loss.svg", "Loss per epoch", RunMetric.TrainLoss, "loss",
                ("train", RunMetric.TrainLoss, true), ("validation", RunMetric.ValidationLoss, false), ("test", RunMetric.TestLoss, false)),
            Of("output-gradient.svg", "Mean per-example ‖dL/dz‖ at the output", RunMetric.OutputGradient, "‖dL/dz‖",
                ("‖dL/dz‖", RunMetric.OutputGradient, false)),
            Of("saturation.svg", "Saturated outputs (within 0.01 of 0 or 1)", RunMetric.Saturated, "share of outputs",
                ("saturated", RunMetric.Saturated, false), ("wrongly", RunMetric.WronglySaturated, true)),
            Of("gradient-norms.svg", "Weight-gradient L2 norm per layer", gradient, gradient.Label,
                [.. layers.Select(k => (k["grad_norm_mean/".Length..], gradient with { Column = k }, false))]),
            Of("weight-norms.svg", "Weight norms: all parameters, and the output layer's part every class shares", RunMetric.ParameterNorm, "L2 norm",
                ("‖θ‖", RunMetric.ParameterNorm, false), ("shared output part", RunMetric.SharedOutputNorm, true)),
        }.OfType<(string, LinePlot)>();
    }

    static string Settings(TrainConfig c, RunEnvironment e)
    {
        var optimizer = c.Optimizer == "sgd"
            ? $"SGD lr {N(c.LearningRate)}{(c.Momentum > 0 ? $", momentum {N(c.Momentum)}{(c.Nesterov ? " (Nesterov)" : "")}" : "")}"
            : $"{c.Optimizer} lr {N(c.LearningRate)}";
        return $"{e.HeadDescription} ({c.Head}), {e.ModelDescription} ({c.Model}{(c.InitScale != 1 ? $", init scale {N(c.InitScale)}" : "")}" +
               $"{(c.InitFrom is { } from ? $", from {from}" : "")}); {e.DataDescription}; {optimizer}" +
               $"{(c.WeightDecay > 0 ? $", weight decay {N(c.WeightDecay)}" : "")}, batch {c.BatchSize}, schedule {c.Schedule}, " +
               $"{c.Epochs} epoch(s), seed {c.Seed}; {e.Engine ?? "autograd"} engine on {e.Device}.";
    }

    static IEnumerable<string> Result(RunSummary s)
    {
        yield return $"Status: {StatusName(s.Status)} after {s.Epochs} epoch(s), {s.Steps} steps in {s.TrainingSeconds.ToString(s.TrainingSeconds < 10 ? "F2" : "F1", CultureInfo.InvariantCulture)} s " +
                     $"({s.StepsPerSecond.ToString("F0", CultureInfo.InvariantCulture)} steps/s){(s.Message is { } m ? $": {m}" : "")}.";
        yield return $"Last epoch: train loss {N(s.FinalTrainLoss, "F4")}, train error {P(s.FinalTrainError)}, validation error {P(s.FinalValidationError)}, " +
                     $"test error {(s.FinalTestError is null ? "not scored" : P(s.FinalTestError))}.";
        if (s.BestEpoch is { } best)
            yield return $"Best validation error {P(s.BestValidationError)} at epoch {best}" +
                         $"{(s.TestErrorAtBestEpoch is { } there ? $" (test error there {P(there)})" : "")}.";
    }

    static string StatusName(RunStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString()).Replace('_', ' ');

    static string N(double v, string format = "G4") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    static string P(double? v) => v is { } x && double.IsFinite(x) ? (x * 100).ToString("F2", CultureInfo.InvariantCulture) + " %" : "–";
}
