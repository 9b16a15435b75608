using TorchLoss.Reporting.Plots;

namespace TorchLoss.Comparison;

/// <summary>The study's SVG plots, written into plots/ of the output folder; returns their paths relative to it.</summary>
public static class StudyPlots
{
    public static IReadOnlyList<(string Title, string Path)> Write(StudyResult study, string outputDirectory)
    {
        var plots = new List<(string, string)>();
        Directory.CreateDirectory(Path.Combine(outputDirectory, "plots"));
        void Save(string file, LinePlot plot)
        {
            var relative = Path.Combine("plots", file);
            SvgRenderer.Write(Path.Combine(outputDirectory, relative), plot);
            plots.Add((plot.Title, relative));
        }

        foreach (var model in study.Config.Models)
        {
            var random = study.Arms.Where(a => a.Arm.Model == model && a.Arm.Kind == ArmKind.RandomInit).ToList();
            var fineTune = study.Arms.Where(a => a.Arm.Model == model && a.Arm.Kind == ArmKind.FineTune).ToList();
            if (random.Count == 0) continue;
            var label = random[0].Arm.ModelLabel;
            var slug = Slug(model);
            var series = random.Select(a => Curve(a.Arm.Label, a.MeanCurve("test_error"))).ToList();
            series.AddRange(fineTune.Select(a => Curve(a.Arm.Label, a.MeanCurve("test_error"), offset: study.Config.Epochs, dashed: true)));
            Save($"test-error_{slug}.svg", new LinePlot($"Test error, {label} (mean over seeds)", "epoch", "test error", series));

            // One colour per head, one line style per layer (solid, dashed, dotted, from the input).
            var layers = random[0].Layers;
            Save($"gradient-norms_{slug}.svg", new LinePlot($"Weight-gradient L2 norm per layer, {label}", "epoch", "mean ‖∂L/∂W‖ over steps",
                random.SelectMany((a, h) => layers.Select((layer, i) => Curve($"{a.Arm.Head} {layer}", a.MeanCurve($"grad_norm_mean/{layer}.weight"),
                    dashed: i % 3 == 1) with { Color = SvgRenderer.Palette[h % SvgRenderer.Palette.Length], Dotted = i % 3 == 2 })).ToList()) { LogY = true });
            Save($"output-gradient_{slug}.svg", new LinePlot($"Mean per-example ‖dL/dz‖ at the output, {label}", "epoch", "‖dL/dz‖",
                random.Select(a => Curve(a.Arm.Head, a.MeanCurve("output_grad_norm"))).ToList()) { LogY = true });
            // Dashed, in the head's colour: the wrongly saturated share (the true class's output near 0, another's near 1).
            var saturation = random.SelectMany((a, h) => new[]
            {
                Curve(a.Arm.Head, a.MeanCurve("saturated_fraction")) with { Color = SvgRenderer.Palette[h % SvgRenderer.Palette.Length] },
                Curve($"{a.Arm.Head}, wrongly", a.MeanCurve("wrong_saturated_fraction"), dashed: true) with { Color = SvgRenderer.Palette[h % SvgRenderer.Palette.Length] },
            }).Where(c => c.Points.Any(p => double.IsFinite(p.Y))).ToList();
            Save($"saturation_{slug}.svg", new LinePlot($"Saturated outputs (within 0.01 of 0 or 1), {label}", "epoch", "fraction of outputs",
                saturation) { YMin = 0, YMax = 1 });
            if (Reliability(random) is { Count: > 1 } calibration)
                Save($"reliability_{slug}.svg", new LinePlot($"Reliability of the final models on the test split, {label} (seeds pooled)",
                    "confidence (probability of the predicted class)", "accuracy", calibration) { YMin = 0, YMax = 1 }); // the diagonal spans x from 0 to 1
        }

        var sweep = study.Arms.Where(a => a.Arm.Kind == ArmKind.InitScale).ToList();
        if (sweep.Count > 0)
        {
            var model = sweep[0].Arm.Model;
            var byHead = study.Config.Heads.Select(head =>
            {
                var points = study.Arms.Where(a => a.Arm.Model == model && a.Arm.Head == head && a.Arm.Kind is ArmKind.RandomInit or ArmKind.InitScale)
                    .OrderBy(a => a.Arm.InitScale).Select(a => (a.Arm.InitScale, a.FinalTestError.Mean)).ToList();
                return new Series(head, points);
            }).ToList();
            Save("init-scale.svg", new LinePlot($"Final test error against init scale, {sweep[0].Arm.ModelLabel}", "init scale", "test error", byHead)
                { LogX = true, YMin = 0 });
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
            var saved = arm.Runs.Select(r => r.TestPredictions).Where(p => p is not null).ToList();
            if (saved.Count == 0) continue;
            var pooled = new Training.SavedPredictions(saved.SelectMany(p => p!.Correct).ToList(), saved.SelectMany(p => p!.Confidence).ToList(),
                saved.SelectMany(p => p!.TrueProbability).ToList());
            series.Add(new Series(arm.Arm.Head, pooled.Reliability().Select(b => (b.Confidence, b.Accuracy)).ToList()));
        }
        return series;
    }

    /// <summary>A model's name in plot file names, e.g. "mlp-256-256".</summary>
    internal static string Slug(string model) => model.Replace(':', '-').Replace(',', '-');

    static Series Curve(string name, double[] values, int offset = 0, bool dashed = false) =>
        new(name, values.Select((v, i) => ((double)(offset + i + 1), v)).ToList(), dashed);
}
