namespace TorchLoss.Reporting.Plots;

/// <summary>One line of a plot; points with a non-finite coordinate break the line. A series of a dozen points or
/// fewer also marks each point.</summary>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, string? Color = null,
    bool Dotted = false)
{
    /// <summary>The spread around the line at each x (e.g. the lowest and highest seed), drawn in the line's colour as
    /// <see cref="LinePlot.SpreadStyle"/> says; empty for none.</summary>
    public IReadOnlyList<(double X, double Low, double High)> Spread { get; init; } = [];
}

/// <summary>An x-interval to shade, e.g. where a loss is non-convex.</summary>
public sealed record Band(double From, double To, string Label);

/// <summary>How a series' <see cref="Series.Spread"/> is drawn.</summary>
public enum SpreadStyle
{
    /// <summary>A translucent band between the low and the high values.</summary>
    Band,
    /// <summary>A vertical bar with caps at each point.</summary>
    ErrorBars,
}

/// <summary>What a line plot shows. A log axis drops negative values; a log y axis shows zeros (errors of 0 %) below a break
/// at its low end.</summary>
public sealed record LinePlot(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series)
{
    public bool LogY { get; init; }
    public bool LogX { get; init; }
    /// <summary>Bounds the y axis must show (the plot adds its margins), whatever the data.</summary>
    public double? YMin { get; init; }
    public double? YMax { get; init; }
    /// <summary>Written after every y tick label, e.g. "%" for values given in percent.</summary>
    public string? YUnit { get; init; }
    /// <summary>Ticks at the points' own x values (epochs, init scales) when there are few of them
    /// (<see cref="Axis.MaxDataTicks"/> at most); otherwise, or when false, evenly spaced ticks.</summary>
    public bool XTicksAtData { get; init; }
    public SpreadStyle SpreadStyle { get; init; } = SpreadStyle.Band;
    /// <summary>The legend's words for the spreads, e.g. "min–max over 3 seeds"; no legend entry when null.</summary>
    public string? SpreadLabel { get; init; }
    public IReadOnlyList<Band> Bands { get; init; } = [];
    /// <summary>A horizontal reference line (e.g. y = 0 for derivatives).</summary>
    public double? ReferenceY { get; init; }
    public int Width { get; init; } = 720;
    public int Height { get; init; } = 420;
}
