using TorchLoss.Engines;
using TorchLoss.Reporting.Plots;
using TorchLoss.Reporting;

namespace TorchLoss.Analysis;

/// <summary>Writes saturation curves as saturation.csv (margin, then each head's |dL/dz| and loss) and saturation.svg
/// (|dL/dz| against the margin on a log axis, where exponential decay is a straight line).</summary>
public static class SaturationFiles
{
    public const string Csv = "saturation.csv";
    public const string Plot = "saturation.svg";

    public static IReadOnlyList<string> Write(IReadOnlyList<SaturationCurve> curves, string directory)
    {
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, Csv);
        var columns = curves.SelectMany(c => new[] { $"{c.Head}_grad_norm", $"{c.Head}_loss" }).Prepend("margin").ToList();
        CsvFile.Write(csv, columns, curves[0].Points.Select((p, i) => (IReadOnlyList<double>)
            curves.SelectMany(c => new[] { c.Points[i].GradientNorm, c.Points[i].Loss }).Prepend(p.Margin).ToList()));

        var plot = Path.Combine(directory, Plot);
        var series = curves.Select(c => new Series($"{c.Head}{(c.Outputs == 1 ? " (1 unit)" : "")}",
            c.Points.Select(p => (p.Margin, p.GradientNorm)).ToList())).ToList();
        SvgRenderer.Write(plot, new LinePlot("|dL/dz| as the true class's margin goes from wrong to right",
            "margin m = z_true - z_other (others fixed at 0)", "|dL/dz|", series) { LogY = true });
        return [csv, plot];
    }
}
