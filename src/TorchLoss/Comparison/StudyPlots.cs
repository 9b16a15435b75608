using TorchLoss.Reporting.Plots;

namespace TorchLoss.Comparison;

/// <summary>The study's SVG plots, written into plots/ of the output folder; returns their paths relative to it.</summary>
public static class StudyPlots
{
    /// <summary>The folder of the study's plots, within its output folder.</summary>
    public const string PlotsDirectory = "plots";

    public static IReadOnlyList<(string Title, string Path)> Write(StudyResult study, string outputDirectory)
    {
        var plots = new List<(string, string)>();
        Directory.CreateDirectory(Path.Combine(outputDirectory, PlotsDirectory));
        var seeds = study.Config.Seeds;
        // One seed has no spread to draw; several get a band (or error bars) from the lowest to the highest seed.
        var spreadLabel = seeds > 1 ? $"min–max over {seeds} seeds" : null;
        var spreadCaption = seeds > 1 ? $"; band: min–max over {seeds} seeds" : "";
        void Save(string file, LinePlot plot, string caption = "")
        {
            var relative = Path.Combine(PlotsDirectory, file);
            SvgRenderer.Write(Path.Combine(outputDirectory, relative), plot with { SpreadLabel = spreadLabel });
            plots.Add((plot.Title + caption, relative));
        }

        foreach (var model in study.Config.Models)
        {
            var random = study.Arms.Where(a => a.Arm.Model == model && a.Arm.Kind == ArmKind.RandomInit).ToList();
            var fineTune = study.Arms.Where(a => a.Arm.Model == model && a.Arm.Kind == ArmKind.FineTune).ToList();
            if (random.Count == 0) continue;
            var label = random[0].Arm.ModelLabel;
            var slug = Slug(model);
            // In percent on a log axis, as the tables: fine-tuning differences are tenths of a point.
            var series = random.Select(a => Curve(a.Arm.Label, a, "test_error", Percent)).ToList();
            series.AddRange(fineTune.Select(a => Curve(a.Arm.Label, a, "test_error", Percent, offset: study.Config.Epochs, dashed: true)));
            Save($"test-error_{slug}.svg", new LinePlot($"Test error, {label} (mean over seeds)", "epoch", "test error", series)
                { LogY = true, YUnit = "%", XTicksAtData = true }, spreadCaption);

            // One colour per head, one line style per layer (solid, dashed, dotted, from the input).
            var layers = random[0].Layers;
            Save($"gradient-norms_{slug}.svg", new LinePlot($"Weight-gradient L2 norm per layer, {label}", "epoch", "mean ‖∂L/∂W‖ over steps",
                random.SelectMany((a, h) => layers.Select((layer, i) => Curve($"{a.Arm.Head} {layer}", a, $"grad_norm_mean/{layer}.weight",
                    dashed: i % 3 == 1) with { Color = SvgRenderer.Palette[h % SvgRenderer.Palette.Length], Dotted = i % 3 == 2 })).ToList())
                { LogY = true, XTicksAtData = true }, spreadCaption);
            Save($"output-gradient_{slug}.svg", new LinePlot($"Mean per-example ‖dL/dz‖ at the output, {label}", "epoch", "‖dL/dz‖",
                random.Select(a => Curve(a.Arm.Head, a, "output_grad_norm")).ToList()) { LogY = true, XTicksAtData = true }, spreadCaption);
            // Dashed, in the head's colour: the wrongly saturated share (the true class's output near 0, another's near 1).
            var saturation = random.SelectMany((a, h) => new[]
            {
                Curve(a.Arm.Head, a, "saturated_fraction", Percent) with { Color = SvgRenderer.Palette[h % SvgRenderer.Palette.Length] },
                Curve($"{a.Arm.Head}, wrongly", a, "wrong_saturated_fraction", Percent, dashed: true) with { Color = SvgRenderer.Palette[h % SvgRenderer.Palette.Length] },
            }).Where(c => c.Points.Any(p => double.IsFinite(p.Y))).ToList();
            Save($"saturation_{slug}.svg", new LinePlot($"Saturated outputs (within 0.01 of 0 or 1), {label}", "epoch", "share of outputs",
                saturation) { YMin = 0, YMax = 100, YUnit = "%", XTicksAtData = true }, spreadCaption);
            if (Reliability(random) is { Count: > 1 } calibration)
                Save($"reliability_{slug}.svg", new LinePlot($"Reliability of the final models on the test split, {label} (seeds pooled)",
                    "confidence (probability of the predicted class)", "accuracy", calibration) { YMin = 0, YMax = 1 }); // the diagonal spans x from 0 to 1
        }

        // The tuning runs themselves: how much each head's outcome depends on its step size.
        foreach (var model in study.Config.Models)
        {
            var choices = study.LearningRates.Values.Where(c => c.Model == model).ToList();
            if (choices.Count == 0 || choices.All(c => c.Tried.Count < 2)) continue;
            var label = study.Arms.FirstOrDefault(a => a.Arm.Model == model)?.Arm.ModelLabel ?? model;
            Save($"learning-rate_{Slug(model)}.svg", new LinePlot(
                $"Best validation error against learning rate after {study.Config.TuningEpochs} tuning epoch(s), {label} ({StudyReport.TuningSeedsText(study.Config)})",
                "learning rate", "best validation error",
                choices.Select(c => new Series(c.Head, c.Tried.Select(t => (t.LearningRate, Percent(t.ValidationError))).ToList())
                {
                    Spread = c.Tried.Select(t => c.Spread(t.LearningRate) is { } s ? (t.LearningRate, Percent(s.Low), Percent(s.High)) : (t.LearningRate, double.NaN, double.NaN))
                        .Where(s => double.IsFinite(s.Item2)).ToList(),
                }).ToList())
                { LogX = true, LogY = true, YUnit = "%", XTicksAtData = true });
        }

        var sweep = study.Arms.Where(a => a.Arm.Kind == ArmKind.InitScale).ToList();
        if (sweep.Count > 0)
        {
            var model = sweep[0].Arm.Model;
            var byHead = study.Config.Heads.Select(head =>
            {
                var arms = study.Arms.Where(a => a.Arm.Model == model && a.Arm.Head == head && a.Arm.Kind is ArmKind.RandomInit or ArmKind.InitScale)
                    .OrderBy(a => a.Arm.InitScale).ToList();
                var finals = arms.Select(a => a.Runs.Select(r => r.Summary.FinalTestError ?? double.NaN).Where(double.IsFinite).ToList()).ToList();
                return new Series(head, arms.Select(a => (a.Arm.InitScale, Percent(a.FinalTestError.Mean))).ToList())
                {
                    Spread = seeds > 1 ? arms.Zip(finals, (a, f) => f.Count == 0 ? (a.Arm.InitScale, double.NaN, double.NaN)
                        : (a.Arm.InitScale, Percent(f.Min()), Percent(f.Max()))).ToList() : [],
                };
            }).ToList();
            Save("init-scale.svg", new LinePlot($"Final test error against init scale, {sweep[0].Arm.ModelLabel} (mean over seeds)", "init scale",
                "test error", byHead) { LogX = true, LogY = true, YUnit = "%", XTicksAtData = true, SpreadStyle = SpreadStyle.ErrorBars },
                seeds > 1 ? $"; error bars: min–max over {seeds} seeds" : "");
        }
        return plots;
    }

    /// <summary>A reliability diagram: per head, accuracy against mean confidence in each confidence bin of the test
    /// predictions of all seeds together, with the diagonal of perfect calibration; empty without saved predictions.</summary>
    static List<Series> Reliability(List<ArmResult> arms)
    {
        var series = new List<Series> { new("perfectly calibrated", [(0, 0), (1, 1)], Dashed: true) };
        foreach (var arm in arms)
        {
            var saved = arm.Runs.Select(r => r.TestPredictions).Where(p => p is { HasProbabilities: true }).ToList();
            if (saved.Count == 0) continue;
            var pooled = new Training.SavedPredictions(saved.SelectMany(p => p!.Correct).ToList(), saved.SelectMany(p => p!.Confidence).ToList(),
                saved.SelectMany(p => p!.TrueProbability).ToList());
            series.Add(new Series(arm.Arm.Head, pooled.Reliability().Select(b => (b.Confidence, b.Accuracy)).ToList()));
        }
        return series;
    }

    /// <summary>A model's name in plot file names, e.g. "mlp-256-256".</summary>
    internal static string Slug(string model) => model.Replace(':', '-').Replace(',', '-');

    static double Percent(double fraction) => fraction * 100;

    /// <summary>An arm's per-epoch mean of a metric over its seeds, with the lowest and highest seed as its spread.</summary>
    static Series Curve(string name, ArmResult arm, string metric, Func<double, double>? scale = null, int offset = 0, bool dashed = false)
    {
        scale ??= v => v;
        var mean = arm.MeanCurve(metric);
        var (low, high) = arm.SeedRange(metric);
        return new Series(name, mean.Select((v, i) => ((double)(offset + i + 1), scale(v))).ToList(), dashed)
        {
            Spread = arm.Runs.Count > 1 ? low.Select((v, i) => ((double)(offset + i + 1), scale(v), scale(high[i]))).ToList() : [],
        };
    }
}
