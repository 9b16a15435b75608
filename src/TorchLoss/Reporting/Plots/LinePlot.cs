namespace TorchLoss.Reporting.Plots;

/// <summary>One line of a plot; points with a non-finite coordinate break the line. A series of a dozen points or
/// fewer also marks each point.</summary>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, string? Color = null,
    bool Dotted = false);

/// <summary>An x-interval to shade, e.g. where a loss is non-convex.</summary>
public sealed record Band(double From, double To, string Label);

/// <summary>What a line plot shows. A log axis drops non-positive values.</summary>
public sealed record LinePlot(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series)
{
    public bool LogY { get; init; }
    public bool LogX { get; init; }
    public double? YMin { get; init; }
    public double? YMax { get; init; }
    public IReadOnlyList<Band> Bands { get; init; } = [];
    /// <summary>A horizontal reference line (e.g. y = 0 for derivatives).</summary>
    public double? ReferenceY { get; init; }
    public int Width { get; init; } = 720;
    public int Height { get; init; } = 420;
}
