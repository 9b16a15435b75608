namespace TorchLoss.Analysis;

/// <summary>A point where dL/dw changes sign between two grid points (found by linear interpolation).</summary>
public sealed record StationaryPoint(double W, bool IsMinimum);

/// <summary>A run of grid points where |dL/dw| is below <see cref="LossShape.PlateauFraction"/> of its peak, with no
/// stationary point in or next to it: flat ground where descent crawls, as opposed to the basin of a minimum.</summary>
public sealed record Plateau(double From, double To, double SmallestSlope, double SmallestSlopeAt);

/// <summary>
/// What a one-weight loss curve looks like on the grid: its stationary points, where its second derivative is
/// negative and where it is a plateau. Non-convexity alone does not trap descent; a second minimum would, while a
/// plateau only slows it. The blog posts' MSE pictures are the second kind: d2L/dw2 &lt; 0 on wide intervals, yet a single
/// stationary point.
/// </summary>
public sealed record LossShape(string Loss, IReadOnlyList<StationaryPoint> Stationary, IReadOnlyList<(double From, double To)> NonConvex,
    IReadOnlyList<Plateau> Plateaus, double PeakSlope)
{
    /// <summary>|dL/dw| below this fraction of its peak on the grid counts as flat.</summary>
    public const double PlateauFraction = 1e-3;

    /// <summary>A sign change counts only if one of its two slopes exceeds this fraction of the peak: where the samples'
    /// terms cancel in saturation, dL/dw is rounding noise whose sign means nothing.</summary>
    public const double RoundingFraction = 1e-12;

    public int Minima => Stationary.Count(s => s.IsMinimum);

    /// <summary>Several minima (or a maximum between them): descent can end in the wrong one.</summary>
    public bool HasSecondMinimum => Minima > 1 || Stationary.Any(s => !s.IsMinimum);

    public Plateau? Flattest => Plateaus.MinBy(p => p.SmallestSlope);

    public static LossShape Of(Landscape landscape, string loss, Func<LandscapeRow, double> slope, Func<LandscapeRow, double> curvature)
    {
        var rows = landscape.Rows;
        var peak = rows.Max(r => Math.Abs(slope(r)));
        var stationary = new List<StationaryPoint>();
        for (var i = 0; i + 1 < rows.Count; i++)
        {
            double a = slope(rows[i]), b = slope(rows[i + 1]);
            if ((a < 0 && b >= 0 || a > 0 && b <= 0) && Math.Max(Math.Abs(a), Math.Abs(b)) > RoundingFraction * peak)
                stationary.Add(new StationaryPoint(rows[i].W + (rows[i + 1].W - rows[i].W) * a / (a - b), a < 0));
        }
        var plateaus = new List<Plateau>();
        for (var i = 0; i < rows.Count;)
        {
            if (!(Math.Abs(slope(rows[i])) < PlateauFraction * peak)) { i++; continue; }
            var j = i;
            while (j + 1 < rows.Count && Math.Abs(slope(rows[j + 1])) < PlateauFraction * peak) j++;
            // A flat run that holds, or borders, a sign change of the slope is the bottom (or top) of a stationary point.
            var lo = rows[Math.Max(0, i - 1)].W;
            var hi = rows[Math.Min(rows.Count - 1, j + 1)].W;
            if (!stationary.Any(s => s.W >= lo && s.W <= hi))
            {
                var flattest = rows.Skip(i).Take(j - i + 1).MinBy(r => Math.Abs(slope(r)))!;
                plateaus.Add(new Plateau(rows[i].W, rows[j].W, Math.Abs(slope(flattest)), flattest.W));
            }
            i = j + 1;
        }
        return new LossShape(loss, stationary, landscape.NegativeIntervals(curvature), plateaus, peak);
    }
}
