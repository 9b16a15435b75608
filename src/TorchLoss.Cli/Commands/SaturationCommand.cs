using System.CommandLine;
using TorchLoss.Analysis;
using TorchLoss.Engines;
using TorchLoss.Heads;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss saturation`: each head's |dL/dz| from confidently wrong to confidently right.</summary>
public static class SaturationCommand
{
    /// <summary>The largest |margin|: logit-mse's loss (m - 1)^2 and every head's |dL/dz| (a root of a sum of squares)
    /// square it, so past ~1e154 they overflow and a growing gradient reads as a vanishing one.</summary>
    public const double MaxMargin = 1e150;

    /// <summary>Points and classes: the sweep holds points x classes logits, at most 10^7 (80 MB) with these.</summary>
    public const int MaxPoints = 100_000;

    public const int MaxClasses = 100;

    public static Command Create(TextWriter? output = null)
    {
        var heads = new Option<string>("--heads") { Description = $"Comma-separated heads (default: all). {HeadCatalog.Help}." };
        var reduction = TrainOptions.MseReductionOption();
        var classes = NumericOptions.Int("--classes", $"Classes of the softmax heads, 2 to {MaxClasses}.", 10, min: 2, max: MaxClasses);
        var range = new Option<string>("--range") { Description = $"Margin range FROM:TO (e.g. --range=-30:30), within +-{Numbers.Limit(MaxMargin)}.", DefaultValueFactory = _ => "-30:30" };
        var points = NumericOptions.Int("--points", $"Points of the sweep, 2 to {MaxPoints}.", 241, min: 2, max: MaxPoints);
        var outDir = PathOptions.Path("--out", "Output folder for saturation.csv and saturation.svg.", Path.Combine("runs", "saturation")).Shows("DIR");
        var json = new Option<bool>("--json") { Description = "Print one JSON object per head (its ends, peak and verdicts) instead of the table." };
        var command = new Command("saturation",
            "For each head, |dL/dz| (its closed form) as the true class's margin sweeps from very wrong to very right with " +
            "the other logits fixed at 0: softmax heads get logits (m, 0, ..., 0), sigmoid heads and the square loss on logits " +
            "a single logit m with label 1. Squared error through softmax or sigmoid vanishes at both ends, cross-entropy only " +
            "when right. Writes a CSV and an SVG plot.")
        {
            heads, reduction, classes, range, points, outDir, json,
        };
        command.SetAction(parse =>
        {
            var options = new HeadOptions(TrainOptions.ParseReduction(parse.GetValue(reduction)!));
            var chosen = OptionParsing.Heads("--heads", parse.GetValue(heads), options);
            var (from, to) = OptionParsing.Range("--range", parse.GetValue(range)!, MaxMargin,
                "the square loss on logits and the gradient norm square the margin: larger ones overflow float64");
            var curves = SaturationSweep.Run(chosen, parse.GetValue(classes), from, to, parse.GetValue(points));
            var files = SaturationFiles.Write(curves, parse.GetValue(outDir)!);
            if (parse.GetValue(json)) PrintJson(curves, output ?? Console.Out);
            else Print(curves, files, output ?? Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    static void Print(IReadOnlyList<SaturationCurve> curves, IReadOnlyList<string> files, TextWriter output)
    {
        var points = curves[0].Points;
        var middle = points.MinBy(p => Math.Abs(p.Margin))!;
        output.WriteLine($"saturation: |dL/dz| as the margin m goes from {Numbers.General(points[0].Margin)} (confidently wrong) to " +
                         $"{Numbers.General(points[^1].Margin)} (confidently right), other logits at 0");
        output.WriteLine();
        ConsoleTable.Write(output,
            ["head", "logits", $"m = {Numbers.General(points[0].Margin)}", $"m = {Numbers.General(middle.Margin)}", $"m = {Numbers.General(points[^1].Margin)}", "peak", "wrong end", "right end"],
            curves.Select(c => (IReadOnlyList<string>)
            [
                c.Head, c.Outputs == 1 ? "(m), y = 1" : $"(m, 0 x{c.Outputs - 1})",
                Numbers.Sci(c.Points[0].GradientNorm), Numbers.Sci(c.Points.MinBy(p => Math.Abs(p.Margin))!.GradientNorm),
                Numbers.Sci(c.Points[^1].GradientNorm), Numbers.Sci(c.Peak),
                End(c.VanishesWhenWrong), End(c.VanishesWhenRight),
            ]).ToList(), textColumns: 2);
        output.WriteLine();
        output.WriteLine($"vanishes: |dL/dz| at that end below {Numbers.Sci(SaturationCurve.VanishingRatio)} of the curve's peak.");
        foreach (var c in curves.Where(c => c.VanishesWhenWrong))
            output.WriteLine($"{c.Head}: the gradient vanishes when the prediction is confidently wrong: no signal to correct it.");
        output.WriteLine($"wrote {string.Join(", ", files)}");
    }

    static void PrintJson(IReadOnlyList<SaturationCurve> curves, TextWriter output)
    {
        foreach (var c in curves)
            output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                c.Head, c.Outputs, MarginFrom = c.Points[0].Margin, MarginTo = c.Points[^1].Margin,
                GradientNormWrongEnd = c.Points[0].GradientNorm, GradientNormAtZero = c.Points.MinBy(p => Math.Abs(p.Margin))!.GradientNorm,
                GradientNormRightEnd = c.Points[^1].GradientNorm, c.Peak, c.VanishesWhenWrong, c.VanishesWhenRight,
            }, Reporting.JsonFiles.Compact));
    }

    static string End(bool vanishes) => vanishes ? "vanishes" : "does not";
}
