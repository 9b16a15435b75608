using TorchLoss.Reporting;
using TorchLoss.Reporting.Plots;

namespace TorchLoss.Analysis;

/// <summary>Writes a <see cref="Landscape"/> as landscape.csv and SVG plots of each loss (on its own scale: MSE is
/// bounded, CE is not) and of the first and second derivatives in w, each shading where MSE is non-convex.</summary>
public static class LandscapeFiles
{
    public const string Csv = "landscape.csv";
    public const string CrossEntropyPlot = "landscape-ce.svg";
    public const string SquaredErrorPlot = "landscape-mse.svg";
    public const string SlopePlot = "landscape-slope.svg";
    public const string CurvaturePlot = "landscape-curvature.svg";
    public const string HessianCsv = "landscape-hessian.csv";

    static readonly string[] HessianColumns =
    [
        "w", "b", "ce_h_ww", "ce_h_wb", "ce_h_bb", "ce_min_eigenvalue",
        "mse_h_ww", "mse_h_wb", "mse_h_bb", "mse_min_eigenvalue", "mse_not_psd",
    ];

    static readonly string[] Columns =
    [
        "w", "ce_loss", "ce_d1", "ce_d2_closed_form", "ce_d2_autograd",
        "mse_loss", "mse_d1", "mse_d2_closed_form", "mse_d2_autograd", "mse_nonconvex",
    ];

    /// <summary>Writes the files into <paramref name="directory"/> (created if needed) and returns their paths; with
    /// <paramref name="twoParameter"/>, also landscape-hessian.csv (each (w, b) grid point's Hessians).</summary>
    public static IReadOnlyList<string> Write(Landscape landscape, string directory, TwoParameterLandscape? twoParameter = null)
    {
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, Csv);
        CsvFile.Write(csv, Columns, landscape.Rows.Select(r => (IReadOnlyList<double>)
        [
            r.W, r.CrossEntropy, r.CrossEntropySlope, r.CrossEntropyCurvature, r.CrossEntropyCurvatureAutograd,
            r.SquaredError, r.SquaredErrorSlope, r.SquaredErrorCurvature, r.SquaredErrorCurvatureAutograd,
            r.SquaredErrorCurvature < 0 ? 1 : 0,
        ]));

        var samples = string.Join(", ", landscape.Samples.Select(s => $"({s.X:G4}, {s.Y:G1})"));
        var bands = landscape.SquaredErrorNonConvex.Select(i => new Band(i.From, i.To, "MSE non-convex")).ToList();
        Series Line(string name, Func<LandscapeRow, double> value, bool dashed = false, string? color = null) =>
            new(name, landscape.Rows.Select(r => (r.W, value(r))).ToList(), dashed, color);
        const string ce = "#1f77b4", mse = "#d62728";

        var files = new List<string> { csv };
        void Plot(string file, string title, string yLabel, params Series[] series)
        {
            var path = Path.Combine(directory, file);
            SvgRenderer.Write(path, new LinePlot($"{title}, samples {samples}", "w", yLabel, series) { Bands = bands, ReferenceY = 0 });
            files.Add(path);
        }
        Plot(CrossEntropyPlot, "Cross-entropy", "L(w)", Line("CE", r => r.CrossEntropy, color: ce));
        Plot(SquaredErrorPlot, "Squared error", "L(w)", Line("MSE (1/2 sum)", r => r.SquaredError, color: mse));
        Plot(SlopePlot, "First derivative", "dL/dw",
            Line("CE", r => r.CrossEntropySlope, color: ce), Line("MSE", r => r.SquaredErrorSlope, color: mse));
        Plot(CurvaturePlot, "Second derivative", "d2L/dw2",
            Line("CE closed form", r => r.CrossEntropyCurvature, color: ce),
            Line("CE double backward", r => r.CrossEntropyCurvatureAutograd, dashed: true, color: "#17becf"),
            Line("MSE closed form", r => r.SquaredErrorCurvature, color: mse),
            Line("MSE double backward", r => r.SquaredErrorCurvatureAutograd, dashed: true, color: "#ff7f0e"));
        if (twoParameter is not null)
        {
            var hessians = Path.Combine(directory, HessianCsv);
            CsvFile.Write(hessians, HessianColumns, twoParameter.Rows.Select(r => (IReadOnlyList<double>)
            [
                r.W, r.B, r.CrossEntropy.Ww, r.CrossEntropy.Wb, r.CrossEntropy.Bb, r.CrossEntropy.SmallestEigenvalue,
                r.SquaredError.Ww, r.SquaredError.Wb, r.SquaredError.Bb, r.SquaredError.SmallestEigenvalue,
                r.SquaredError.IsPositiveSemidefinite ? 0 : 1,
            ]));
            files.Insert(1, hessians);
        }
        return files;
    }
}
