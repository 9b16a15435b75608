using System.Globalization;
using System.Security;
using System.Text;

namespace TorchLoss.Reporting.Plots;

/// <summary>Draws a <see cref="LinePlot"/> as a standalone SVG document (no scripts, no external resources).</summary>
public static class SvgRenderer
{
    /// <summary>Colours in order; also for callers that colour several series alike (e.g. one colour per head).</summary>
    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    const double Left = 72, Right = 190, Top = 40, Bottom = 56;

    public static string Render(LinePlot plot)
    {
        var points = plot.Series.SelectMany(s => s.Points).ToList();
        var (xMin, xMax) = Axis.Range(points.Select(p => p.X), plot.LogX);
        var (yMin, yMax) = Axis.Range(points.Select(p => p.Y).Concat(plot.ReferenceY is { } r ? [r] : []), plot.LogY, plot.YMin, plot.YMax);
        var x = new Axis(xMin, xMax, Left, plot.Width - Right, plot.LogX);
        var y = new Axis(yMin, yMax, plot.Height - Bottom, Top, plot.LogY);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{plot.Width}\" height=\"{plot.Height}\" viewBox=\"0 0 {plot.Width} {plot.Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{plot.Width}\" height=\"{plot.Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{plot.Width / 2.0}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(plot.Title)}</text>\n"));
        Bands(svg, plot, x);
        Grid(svg, plot, x, y);
        foreach (var (series, i) in plot.Series.Select((s, i) => (s, i))) Line(svg, series, series.Color ?? Palette[i % Palette.Length], x, y);
        Legend(svg, plot);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    public static void Write(string path, LinePlot plot) => AtomicFile.WriteAllText(path, Render(plot));

    static void Bands(StringBuilder svg, LinePlot plot, Axis x)
    {
        foreach (var band in plot.Bands)
        {
            double a = x.Pixel(band.From), b = x.Pixel(band.To);
            svg.Append(Invariant($"<rect x=\"{Math.Min(a, b):F1}\" y=\"{Top}\" width=\"{Math.Abs(b - a):F1}\" height=\"{plot.Height - Top - Bottom}\" fill=\"#f4c7c3\" fill-opacity=\"0.5\"><title>{Escape(band.Label)}</title></rect>\n"));
        }
    }

    static void Grid(StringBuilder svg, LinePlot plot, Axis x, Axis y)
    {
        double x0 = Left, x1 = plot.Width - Right, y0 = plot.Height - Bottom, y1 = Top;
        foreach (var t in x.Ticks())
        {
            var px = x.Pixel(t);
            svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{y1}\" x2=\"{px:F1}\" y2=\"{y0}\" stroke=\"#e5e5e5\"/>"));
            svg.Append(Invariant($"<text x=\"{px:F1}\" y=\"{y0 + 16}\" text-anchor=\"middle\">{Axis.Format(t)}</text>\n"));
        }
        foreach (var t in y.Ticks())
        {
            var py = y.Pixel(t);
            svg.Append(Invariant($"<line x1=\"{x0}\" y1=\"{py:F1}\" x2=\"{x1}\" y2=\"{py:F1}\" stroke=\"#e5e5e5\"/>"));
            svg.Append(Invariant($"<text x=\"{x0 - 6}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{Axis.Format(t)}</text>\n"));
        }
        if (plot.ReferenceY is { } r && y.Accepts(r))
            svg.Append(Invariant($"<line x1=\"{x0}\" y1=\"{y.Pixel(r):F1}\" x2=\"{x1}\" y2=\"{y.Pixel(r):F1}\" stroke=\"#555\" stroke-dasharray=\"2,3\"/>\n"));
        svg.Append(Invariant($"<rect x=\"{x0}\" y=\"{y1}\" width=\"{x1 - x0}\" height=\"{y0 - y1}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(Invariant($"<text x=\"{(x0 + x1) / 2}\" y=\"{plot.Height - 14}\" text-anchor=\"middle\">{Escape(plot.XLabel)}{(x.Log ? " (log)" : "")}</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(18,{(y0 + y1) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(plot.YLabel)}{(y.Log ? " (log)" : "")}</text>\n"));
    }

    static void Line(StringBuilder svg, Series series, string color, Axis x, Axis y)
    {
        var dash = Dash(series);
        var path = new StringBuilder();
        var pen = false;
        foreach (var (px, py) in series.Points)
        {
            if (!x.Accepts(px) || !y.Accepts(py)) { pen = false; continue; }
            path.Append(Invariant($"{(pen ? 'L' : 'M')}{x.Pixel(px):F1},{y.Pixel(py):F1} "));
            pen = true;
        }
        svg.Append(Invariant($"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\"{dash}><title>{Escape(series.Name)}</title></path>\n"));
        var shown = series.Points.Where(p => x.Accepts(p.X) && y.Accepts(p.Y)).ToList();
        if (shown.Count <= 12)
            foreach (var (qx, qy) in shown)
                svg.Append(Invariant($"<circle cx=\"{x.Pixel(qx):F1}\" cy=\"{y.Pixel(qy):F1}\" r=\"2.5\" fill=\"{color}\"/>\n"));
    }

    static void Legend(StringBuilder svg, LinePlot plot)
    {
        var lx = plot.Width - Right + 14;
        var ly = Top + 8;
        foreach (var (series, i) in plot.Series.Select((s, i) => (s, i)))
        {
            var color = series.Color ?? Palette[i % Palette.Length];
            var dash = Dash(series);
            svg.Append(Invariant($"<line x1=\"{lx}\" y1=\"{ly + i * 18}\" x2=\"{lx + 22}\" y2=\"{ly + i * 18}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>"));
            svg.Append(Invariant($"<text x=\"{lx + 28}\" y=\"{ly + i * 18 + 4}\">{Escape(series.Name)}</text>\n"));
        }
        foreach (var band in plot.Bands.Take(1))
        {
            var by = ly + plot.Series.Count * 18 + 6;
            svg.Append(Invariant($"<rect x=\"{lx}\" y=\"{by - 6}\" width=\"22\" height=\"12\" fill=\"#f4c7c3\"/><text x=\"{lx + 28}\" y=\"{by + 4}\">{Escape(band.Label)}</text>\n"));
        }
    }

    static string Dash(Series series) =>
        series.Dotted ? " stroke-dasharray=\"1.5,3\"" : series.Dashed ? " stroke-dasharray=\"6,4\"" : "";

    internal static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
