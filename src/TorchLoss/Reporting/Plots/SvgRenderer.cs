using System.Globalization;
using System.Security;
using System.Text;
using TorchLoss.Runtime;

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
        var spread = plot.Series.SelectMany(s => s.Spread).ToList();
        var (xMin, xMax) = Axis.Range(points.Select(p => p.X), plot.LogX);
        var yValues = points.Select(p => p.Y).Concat(spread.SelectMany(p => new[] { p.Low, p.High }))
            .Concat(plot.ReferenceY is { } r ? [r] : []).ToList();
        var (yMin, yMax) = Axis.Range(yValues, plot.LogY, plot.YMin, plot.YMax);
        var x = new Axis(xMin, xMax, Left, plot.Width - Right, plot.LogX);
        // An error of exactly 0 % (a small test split) is shown below a break, rather than vanishing from a log axis.
        var y = new Axis(yMin, yMax, plot.Height - Bottom, Top, plot.LogY, zero: yValues.Contains(0));
        // Long legend entries widen the figure to the right rather than run off its edge; the plotting area stays.
        var width = plot.Width + Math.Max(0, Math.Ceiling(LegendTextStart + LegendTextWidth(plot) + 16 - Right));
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{plot.Height}\" viewBox=\"0 0 {width} {plot.Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{plot.Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{plot.Width / 2.0}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(plot.Title)}</text>\n"));
        Bands(svg, plot, x);
        Grid(svg, plot, x, y);
        foreach (var (series, i) in plot.Series.Select((s, i) => (s, i)))
            Spread(svg, series, plot.SpreadStyle, series.Color ?? Palette[i % Palette.Length], x, y);
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
        var xTicks = (plot.XTicksAtData ? x.DataTicks(plot.Series.SelectMany(s => s.Points).Select(p => p.X)) : null) ?? x.Ticks();
        foreach (var (t, label) in xTicks.Zip(TickLabels.Format(xTicks)))
        {
            var px = x.Pixel(t);
            svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{y1}\" x2=\"{px:F1}\" y2=\"{y0}\" stroke=\"#e5e5e5\"/>"));
            svg.Append(Invariant($"<text class=\"x-tick\" x=\"{px:F1}\" y=\"{y0 + 16}\" text-anchor=\"middle\">{Escape(label)}</text>\n"));
        }
        var yTicks = y.Ticks();
        foreach (var (t, label) in yTicks.Zip(TickLabels.Format(yTicks, plot.YUnit)))
        {
            var py = y.Pixel(t);
            svg.Append(Invariant($"<line x1=\"{x0}\" y1=\"{py:F1}\" x2=\"{x1}\" y2=\"{py:F1}\" stroke=\"#e5e5e5\"/>"));
            svg.Append(Invariant($"<text class=\"y-tick\" x=\"{x0 - 6}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{Escape(label)}</text>\n"));
        }
        if (plot.ReferenceY is { } r && y.Accepts(r))
            svg.Append(Invariant($"<line x1=\"{x0}\" y1=\"{y.Pixel(r):F1}\" x2=\"{x1}\" y2=\"{y.Pixel(r):F1}\" stroke=\"#555\" stroke-dasharray=\"2,3\"/>\n"));
        svg.Append(Invariant($"<rect class=\"frame\" x=\"{x0}\" y=\"{y1}\" width=\"{x1 - x0}\" height=\"{y0 - y1}\" fill=\"none\" stroke=\"#333\"/>\n"));
        if (y.ShowsZero)
        {
            var (from, to) = y.Break;
            // A gap in the frame's left edge with two slashes: the scale does not run on from 0 to the log part.
            svg.Append(Invariant($"<rect x=\"{x0 - 1}\" y=\"{to:F1}\" width=\"2\" height=\"{from - to:F1}\" fill=\"white\"/>\n"));
            svg.Append(Invariant($"<path class=\"axis-break\" d=\"M{x0 - 5},{from + 2:F1} L{x0 + 5},{from - 2:F1} M{x0 - 5},{to + 2:F1} L{x0 + 5},{to - 2:F1}\" stroke=\"#333\"/>\n"));
        }
        svg.Append(Invariant($"<text x=\"{(x0 + x1) / 2}\" y=\"{plot.Height - 14}\" text-anchor=\"middle\">{Escape(plot.XLabel)}{(x.Log ? " (log)" : "")}</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(18,{(y0 + y1) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(plot.YLabel)}{(y.Log ? " (log)" : "")}</text>\n"));
    }

    /// <summary>A series' spread: one translucent polygon per stretch of points the axes can show, or an error bar per point.</summary>
    static void Spread(StringBuilder svg, Series series, SpreadStyle style, string color, Axis x, Axis y)
    {
        bool Shown((double X, double Low, double High) p) => x.Accepts(p.X) && y.Accepts(p.Low) && y.Accepts(p.High);
        var title = $"<title>{Escape(series.Name)}: spread</title>";
        if (style == SpreadStyle.ErrorBars)
        {
            foreach (var (px, low, high) in series.Spread.Where(Shown))
            {
                double cx = x.Pixel(px), top = y.Pixel(high), bottom = y.Pixel(low);
                svg.Append(Invariant($"<path class=\"error-bar\" d=\"M{cx:F1},{bottom:F1} L{cx:F1},{top:F1} M{cx - 4:F1},{bottom:F1} L{cx + 4:F1},{bottom:F1} M{cx - 4:F1},{top:F1} L{cx + 4:F1},{top:F1}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.2\">{title}</path>\n"));
            }
            return;
        }
        var stretch = new List<(double X, double Low, double High)>();
        void Flush()
        {
            if (stretch.Count > 0)
            {
                var outline = stretch.Select(p => (p.X, p.High)).Concat(stretch.AsEnumerable().Reverse().Select(p => (p.X, p.Low)))
                    .Select(p => Invariant($"{x.Pixel(p.X):F1},{y.Pixel(p.Item2):F1}"));
                svg.Append(Invariant($"<polygon class=\"spread\" points=\"{string.Join(' ', outline)}\" fill=\"{color}\" fill-opacity=\"0.15\" stroke=\"none\">{title}</polygon>\n"));
            }
            stretch.Clear();
        }
        foreach (var point in series.Spread)
        {
            if (Shown(point)) stretch.Add(point);
            else Flush();
        }
        Flush();
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

    // The legend's text starts this far right of the plotting area; at 12 px, sans-serif glyphs average under 7.5 px.
    const double LegendTextStart = 14 + 28, LegendCharacterWidth = 7.5;

    static double LegendTextWidth(LinePlot plot) =>
        plot.Series.Select(s => s.Name).Concat(plot.SpreadLabel is { } l ? [l] : []).Concat(plot.Bands.Take(1).Select(b => b.Label))
            .Select(t => t.Length * LegendCharacterWidth).DefaultIfEmpty(0).Max();

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
        var entries = plot.Series.Count;
        if (plot.SpreadLabel is { } spread && plot.Series.Any(s => s.Spread.Count > 0))
        {
            var sy = ly + entries * 18;
            svg.Append(plot.SpreadStyle == SpreadStyle.Band
                ? Invariant($"<rect x=\"{lx}\" y=\"{sy - 6}\" width=\"22\" height=\"12\" fill=\"#555\" fill-opacity=\"0.2\"/>")
                : Invariant($"<path d=\"M{lx + 11},{sy - 6} L{lx + 11},{sy + 6} M{lx + 7},{sy - 6} L{lx + 15},{sy - 6} M{lx + 7},{sy + 6} L{lx + 15},{sy + 6}\" fill=\"none\" stroke=\"#555\"/>"));
            svg.Append(Invariant($"<text class=\"spread-label\" x=\"{lx + 28}\" y=\"{sy + 4}\">{Escape(spread)}</text>\n"));
            entries++;
        }
        foreach (var band in plot.Bands.Take(1))
        {
            var by = ly + entries * 18 + 6;
            svg.Append(Invariant($"<rect x=\"{lx}\" y=\"{by - 6}\" width=\"22\" height=\"12\" fill=\"#f4c7c3\"/><text x=\"{lx + 28}\" y=\"{by + 4}\">{Escape(band.Label)}</text>\n"));
        }
    }

    static string Dash(Series series) =>
        series.Dotted ? " stroke-dasharray=\"1.5,3\"" : series.Dashed ? " stroke-dasharray=\"6,4\"" : "";

    internal static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
