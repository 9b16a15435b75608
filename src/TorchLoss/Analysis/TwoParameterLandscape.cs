using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Analysis;

/// <summary>The 2x2 Hessian in (w, b) of one loss at one grid point, with its smallest eigenvalue.</summary>
public sealed record Hessian2(double Ww, double Wb, double Bb)
{
    public double Trace => Ww + Bb;

    /// <summary>(a + d)/2 - sqrt(((a - d)/2)^2 + b^2); its rounding error is about 1e-16 of the larger eigenvalue.</summary>
    public double SmallestEigenvalue => (Ww + Bb) / 2 - Math.Sqrt((Ww - Bb) * (Ww - Bb) / 4 + Wb * Wb);

    /// <summary>No eigenvalue below -<see cref="TwoParameterLandscape.RoundingFraction"/> of |a| + |d|.</summary>
    public bool IsPositiveSemidefinite => SmallestEigenvalue >= -TwoParameterLandscape.RoundingFraction * (Math.Abs(Ww) + Math.Abs(Bb));
}

/// <summary>One (w, b) grid point with the Hessians of CE and MSE there.</summary>
public sealed record TwoParameterRow(double W, double B, Hessian2 CrossEntropy, Hessian2 SquaredError);

/// <summary>Where one loss's smallest Hessian eigenvalue is lowest on the grid, and how much of the grid is not
/// positive semidefinite.</summary>
public sealed record HessianSummary(string Loss, double MinEigenvalue, double AtW, double AtB, double NegativeFraction)
{
    public bool PositiveSemidefinite => NegativeFraction == 0;
}

/// <summary>
/// Logistic regression with a weight and a bias, h = sigmoid(w x + b), over a grid of (w, b). With phi = (x, 1) and
/// h' = h (1 - h), each sample adds c phi phi^T to the Hessian of the summed loss: c = h' for CE (never negative, so
/// the Hessian is positive semidefinite everywhere) and c = -(3h^2 - 2h - 2yh + y) h' for MSE = 1/2 sum (h - y)^2
/// (the one-weight bracket again, negative where the prediction is confidently wrong), so MSE's Hessian has a negative
/// eigenvalue somewhere. The one-weight curvature is its (w, w) entry at b = 0.
/// </summary>
public sealed record TwoParameterLandscape(IReadOnlyList<LabelledPoint> Samples, IReadOnlyList<TwoParameterRow> Rows)
{
    /// <summary>An eigenvalue counts as negative only below this fraction of |H_ww| + |H_bb|: rounding, not the
    /// loss, makes the smallest eigenvalue of a singular positive semidefinite Hessian slightly negative.</summary>
    public const double RoundingFraction = 1e-12;

    public HessianSummary CrossEntropy => Summary("CE", r => r.CrossEntropy);

    public HessianSummary SquaredError => Summary("MSE", r => r.SquaredError);

    public static TwoParameterLandscape Compute(IReadOnlyList<LabelledPoint> samples, (double From, double To) w, (double From, double To) b, int points)
    {
        if (samples.Count == 0) throw new ArgumentException("the landscape needs at least one sample");
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "the grid needs at least 2 points per parameter");
        foreach (var r in new[] { w, b })
            if (!(r.From < r.To) || !double.IsFinite(r.From) || !double.IsFinite(r.To)) throw new ArgumentException($"the range {r.From}..{r.To} must be finite with from < to");
        double At((double From, double To) r, int i) => r.From + (r.To - r.From) * i / (points - 1);
        var grid = (from i in Enumerable.Range(0, points) from j in Enumerable.Range(0, points) select (W: At(w, i), B: At(b, j))).ToArray();

        using var scope = torch.NewDisposeScope();
        var ws = ArrayTensors.Float64(grid.Select(g => g.W).ToArray(), [grid.Length, 1]);
        var bs = ArrayTensors.Float64(grid.Select(g => g.B).ToArray(), [grid.Length, 1]);
        var x = ArrayTensors.Float64(samples.Select(s => s.X).ToArray(), [1, samples.Count]);
        var y = ArrayTensors.Float64(samples.Select(s => s.Y).ToArray(), [1, samples.Count]);
        var h = (ws * x + bs).sigmoid();
        var h1 = h * (1 - h);
        var ce = Entries(h1, x);
        var mse = Entries(-(3 * h.square() - 2 * h - 2 * y * h + y) * h1, x);
        var rows = grid.Select((g, i) => new TwoParameterRow(g.W, g.B,
            new Hessian2(ce.Ww[i], ce.Wb[i], ce.Bb[i]), new Hessian2(mse.Ww[i], mse.Wb[i], mse.Bb[i]))).ToList();
        return new TwoParameterLandscape(samples, rows);
    }

    /// <summary>sum c phi phi^T over the samples: (sum c x^2, sum c x, sum c) at each grid point.</summary>
    static (double[] Ww, double[] Wb, double[] Bb) Entries(Tensor c, Tensor x) =>
        ((c * x.square()).sum(1).data<double>().ToArray(), (c * x).sum(1).data<double>().ToArray(), c.sum(1).data<double>().ToArray());

    HessianSummary Summary(string loss, Func<TwoParameterRow, Hessian2> hessian)
    {
        var lowest = Rows.MinBy(r => hessian(r).SmallestEigenvalue)!;
        var negative = Rows.Count(r => !hessian(r).IsPositiveSemidefinite);
        return new HessianSummary(loss, hessian(lowest).SmallestEigenvalue, lowest.W, lowest.B, (double)negative / Rows.Count);
    }
}
