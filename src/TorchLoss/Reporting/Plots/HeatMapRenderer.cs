using System.Text;
using TorchLoss.Runtime;
using static TorchLoss.Reporting.Plots.SvgRenderer;

namespace TorchLoss.Reporting.Plots;

/// <summary>Draws a <see cref="HeatMapGrid"/> as a standalone SVG document (no scripts, no external resources).</summary>
public static class HeatMapRenderer
{
    const int Margin = 16, Top = 56, TitleHeight = 16, LabelSize = 14, MinPanelWidth = 180, Gap = 20, LegendWidth = 90, LegendHeight = 120;
    static readonly double[] LegendTicks = [0, 0.01, 0.1, 0.25, 0.5, 1];

    /// <summary>The SVG document's text.</summary>
    public static string Render(HeatMapGrid grid)
    {
        var classes = grid.Labels.Count;
        var matrix = classes * grid.Cell;
        int panelWidth = Math.Max(LabelSize + matrix, MinPanelWidth) + Gap, panelHeight = TitleHeight + LabelSize + matrix + Gap;
        var columns = Math.Max(1, Math.Min(grid.Columns, grid.Panels.Count));
        var rows = (grid.Panels.Count + columns - 1) / columns;
        var width = Margin + columns * panelWidth + LegendWidth;
        var height = Math.Max(Top + rows * panelHeight, Top + LegendHeight + 40) + Margin;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{width / 2.0}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(grid.Title)}</text>\n"));
        svg.Append(Invariant($"<text x=\"{width / 2.0}\" y=\"40\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">rows: {Escape(grid.RowName)}, columns: {Escape(grid.ColumnName)}; shade: the cell's share of its row</text>\n"));
        for (var i = 0; i < grid.Panels.Count; i++)
            Panel(svg, grid, grid.Panels[i], Margin + i % columns * panelWidth, Top + i / columns * panelHeight);
        Legend(svg, Margin + columns * panelWidth, Top);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Writes the SVG document to <paramref name="path"/> (atomically).</summary>
    public static void Write(string path, HeatMapGrid grid) => AtomicFile.WriteAllText(path, Render(grid));

    static void Panel(StringBuilder svg, HeatMapGrid grid, HeatMapPanel panel, double x, double y)
    {
        var cell = grid.Cell;
        double left = x + LabelSize, top = y + TitleHeight + LabelSize;
        svg.Append(Invariant($"<text x=\"{left}\" y=\"{y + 11}\" font-size=\"11\">{Escape(panel.Title)}</text>\n"));
        for (var k = 0; k < grid.Labels.Count; k++)
        {
            svg.Append(Invariant($"<text x=\"{left + (k + 0.5) * cell:F1}\" y=\"{top - 4}\" text-anchor=\"middle\" font-size=\"8\">{Escape(grid.Labels[k])}</text>"));
            svg.Append(Invariant($"<text x=\"{left - 3}\" y=\"{top + (k + 0.5) * cell + 3:F1}\" text-anchor=\"end\" font-size=\"8\">{Escape(grid.Labels[k])}</text>\n"));
        }
        for (var r = 0; r < panel.Counts.Count; r++)
        {
            var row = panel.Counts[r];
            var total = row.Sum();
            for (var c = 0; c < row.Count; c++)
            {
                var share = total > 0 ? (double)row[c] / total : 0;
                var tip = Invariant($"{grid.RowName} {grid.Labels[r]}, {grid.ColumnName} {grid.Labels[c]}: {row[c]} ({share:P1} of the row)");
                svg.Append(Invariant($"<rect x=\"{left + c * cell}\" y=\"{top + r * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{Shade(share)}\"><title>{Escape(tip)}</title></rect>"));
            }
            svg.Append('\n');
        }
        var side = grid.Labels.Count * cell;
        svg.Append(Invariant($"<rect x=\"{left}\" y=\"{top}\" width=\"{side}\" height=\"{side}\" fill=\"none\" stroke=\"#999\"/>\n"));
    }

    /// <summary>A vertical scale from share 0 (bottom) to 1 (top), on the same square-root scale as the cells.</summary>
    static void Legend(StringBuilder svg, double x, double y)
    {
        const int steps = 40, barWidth = 14;
        for (var i = 0; i < steps; i++)
        {
            var share = Math.Pow(1 - (i + 0.5) / steps, 2);
            svg.Append(Invariant($"<rect x=\"{x}\" y=\"{y + i * (double)LegendHeight / steps:F1}\" width=\"{barWidth}\" height=\"{(double)LegendHeight / steps + 0.5:F1}\" fill=\"{Shade(share)}\"/>"));
        }
        svg.Append(Invariant($"<rect x=\"{x}\" y=\"{y}\" width=\"{barWidth}\" height=\"{LegendHeight}\" fill=\"none\" stroke=\"#999\"/>\n"));
        foreach (var tick in LegendTicks)
        {
            var ty = y + (1 - Math.Sqrt(tick)) * LegendHeight;
            svg.Append(Invariant($"<text x=\"{x + barWidth + 4}\" y=\"{ty + 4:F1}\" font-size=\"10\">{tick:0.##}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{x}\" y=\"{y + LegendHeight + 16}\" font-size=\"10\">share of row</text>\n"));
        svg.Append(Invariant($"<text x=\"{x}\" y=\"{y + LegendHeight + 28}\" font-size=\"10\">(√ scale)</text>\n"));
    }

    /// <summary>White to dark blue; the square root spreads the small shares off the diagonal, which matter most.</summary>
    static string Shade(double share)
    {
        var t = Math.Sqrt(Math.Clamp(share, 0, 1));
        int Mix(int from, int to) => (int)Math.Round(from + (to - from) * t);
        return $"#{Mix(255, 8):x2}{Mix(255, 48):x2}{Mix(255, 107):x2}";
    }
}
