namespace TorchLoss.Analysis.Claims;

/// <summary>The claims `landscape` checks: the posts' derivatives of the one-weight losses against autograd, and what
/// they say about MSE's shape against the stationary points, curvature and plateaus found on the grid.</summary>
public static class LandscapeClaims
{
    /// <summary>A formula agrees with autograd when max |f - g| &lt;= this times max(1, max |g|) over the grid.</summary>
    public const double FormulaTolerance = 1e-8;

    public static IReadOnlyList<SourceClaim> All(Landscape landscape, TwoParameterLandscape? twoParameter = null)
    {
        var ce = landscape.CrossEntropyShape;
        var mse = landscape.SquaredErrorShape;
        return
        [
            Formula(landscape, SourcePosts.WhySoftmaxRegressionDoesNotUseMse,
                "for CE = -y log h - (1-y) log(1-h), dL/dw = (y - h) x", "(h - y) x",
                (h, y, x) => (y - h) * x, r => r.CrossEntropySlope),
            Formula(landscape, SourcePosts.WhySoftmaxRegressionDoesNotUseMse,
                "where it sets MSE's gradient beside CE's, dL/dw = (y - h) h' x (its own derivation just before ends in -(y - h) h' x)",
                "(h - y) h' x", (h, y, x) => (y - h) * h * (1 - h) * x, r => r.SquaredErrorSlope),
            Formula(landscape, SourcePosts.WhySoftmaxRegressionDoesNotUseMse, "CE's second derivative is h(1-h) x^2", null,
                (h, _, x) => h * (1 - h) * x * x, r => r.CrossEntropyCurvatureAutograd),
            Formula(landscape, SourcePosts.WhySoftmaxRegressionDoesNotUseMse,
                "for MSE = 1/2 (y - h)^2, d2L/dw2 = -(3h^2 - 2h - 2yh + y) h' x^2", null,
                (h, y, x) => -(3 * h * h - 2 * h - 2 * y * h + y) * h * (1 - h) * x * x, r => r.SquaredErrorCurvatureAutograd),
            Formula(landscape, SourcePosts.CrossEntropyAndMse, "for CE J(w) = -[y log a + (1-y) log(1-a)], dJ/dw = -x (y - a)", null,
                (h, y, x) => -x * (y - h), r => r.CrossEntropySlope),
            NotConvex(mse),
            SmallGradientFarAway(mse),
            NonConvexityMissesTheOptimum(mse, ce),
            .. twoParameter is null ? [] : new[] { CrossEntropyConvexInBoth(twoParameter), SquaredErrorNotConvexInBoth(twoParameter) },
        ];
    }

    /// <summary>The second post proves CE convex for one parameter and notes that several would need the Hessian's
    /// definiteness, which it does not show; the (w, b) grid checks it.</summary>
    public static SourceClaim CrossEntropyConvexInBoth(TwoParameterLandscape t) => new(SourcePosts.CrossEntropyAndMse,
        "cross-entropy is convex (shown there for one parameter only; with several, the Hessian must be positive definite)",
        Eigen(t.CrossEntropy), t.CrossEntropy.PositiveSemidefinite ? Verdict.Holds : Verdict.DoesNotHold, null, HessianRule);

    public static SourceClaim SquaredErrorNotConvexInBoth(TwoParameterLandscape t) => new(SourcePosts.CrossEntropyAndMse,
        "with a sigmoid (or softmax) output, MSE is non-convex",
        Eigen(t.SquaredError), t.SquaredError.PositiveSemidefinite ? Verdict.DoesNotHold : Verdict.Holds, null, HessianRule);

    const string HessianRule = "the smallest eigenvalue of the closed-form (w, b) Hessian of h = sigmoid(w x + b) at every grid point; " +
                               "negative below -1e-12 (|H_ww| + |H_bb|)";

    static string Eigen(HessianSummary s) =>
        $"{s.Loss} in (w, b): smallest Hessian eigenvalue lowest {SourceClaim.Sci(s.MinEigenvalue)} at (w, b) = ({SourceClaim.Number(s.AtW, 4)}, {SourceClaim.Number(s.AtB, 4)}), " +
        $"negative on {SourceClaim.Number(100 * s.NegativeFraction, 3)}% of the grid";

    /// <summary>The post's formula <paramref name="perSample"/>, summed over the samples at every grid weight, against
    /// autograd's column. When it fails and its negation agrees, our text says the sign is flipped and names
    /// <paramref name="negated"/>, the formula with the sign fixed.</summary>
    public static SourceClaim Formula(Landscape landscape, string post, string says, string? negated,
        Func<double, double, double, double> perSample, Func<LandscapeRow, double> autograd)
    {
        var ours = landscape.SumOverSamples(perSample);
        var reference = landscape.Rows.Select(autograd).ToArray();
        var scale = Math.Max(1, reference.Max(Math.Abs));
        var error = ours.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        var flipped = ours.Zip(reference, (a, b) => Math.Abs(a + b)).Max();
        var holds = error <= FormulaTolerance * scale;
        var text = $"max |post's formula - autograd| over the grid {SourceClaim.Sci(error)} (|autograd| up to {SourceClaim.Sci(scale)})";
        if (!holds && flipped <= FormulaTolerance * scale)
            text += $"; the sign is flipped: {negated ?? "its negation"} agrees within {SourceClaim.Sci(flipped)}";
        return new SourceClaim(post, says, text, holds ? Verdict.Holds : Verdict.DoesNotHold, null,
            $"the post's formula summed over the samples at each w against autograd; agrees when max |diff| <= {SourceClaim.Sci(FormulaTolerance)} max(1, max |autograd|)");
    }

    public static SourceClaim NotConvex(LossShape mse) => new(SourcePosts.WhySoftmaxRegressionDoesNotUseMse,
        "with a sigmoid output, MSE is not convex in w (its second derivative is not always >= 0)",
        mse.NonConvex.Count == 0 ? "d2L/dw2 >= 0 on the whole grid" : $"d2L/dw2 < 0 for w in {Intervals(mse.NonConvex)}",
        mse.NonConvex.Count > 0 ? Verdict.Holds : Verdict.DoesNotHold, null, "the sign of MSE's d2L/dw2 (closed form) on the grid");

    public static SourceClaim SmallGradientFarAway(LossShape mse) => new(SourcePosts.WhySoftmaxRegressionDoesNotUseMse,
        "MSE's gradient gets very small far from the optimum, so descent started there makes almost no progress",
        mse.Flattest is { } p
            ? $"a plateau: |dL/dw| down to {SourceClaim.Sci(p.SmallestSlope)} at w = {SourceClaim.Number(p.SmallestSlopeAt, 4)}, peak {SourceClaim.Sci(mse.PeakSlope)}"
            : $"no plateau on the grid (|dL/dw| >= {SourceClaim.Sci(LossShape.PlateauFraction)} of its peak away from stationary points)",
        mse.Flattest is null ? Verdict.DoesNotHold : Verdict.Holds, null, PlateauRule);

    /// <summary>Both posts warn that a non-convex loss may keep descent from the optimal parameters; on a one-weight
    /// grid that needs a second minimum, while a single minimum with plateaus only slows descent.</summary>
    public static SourceClaim NonConvexityMissesTheOptimum(LossShape mse, LossShape ce)
    {
        var minima = mse.Stationary.Where(s => s.IsMinimum).Select(s => SourceClaim.Number(s.W, 3)).ToList();
        var ours = $"MSE has {mse.Stationary.Count} stationary point(s) on the grid" +
                   (minima.Count > 0 ? $", minima at w = {string.Join(", ", minima)}" : "") +
                   (ce.Stationary.FirstOrDefault(s => s.IsMinimum) is { } c ? $" (CE's minimum: w = {SourceClaim.Number(c.W, 3)})" : "") +
                   (mse.Flattest is { } p ? $"; plateau down to |dL/dw| {SourceClaim.Sci(p.SmallestSlope)} at w = {SourceClaim.Number(p.SmallestSlopeAt, 4)}" : "");
        var (verdict, condition) = mse.HasSecondMinimum
            ? (Verdict.Holds, (string?)null)
            : mse.Plateaus.Count > 0
                ? (Verdict.HoldsOnlyWhen, "descent starts on a plateau and runs out of steps: there is no second minimum to end in")
                : (Verdict.DoesNotHold, null);
        return new SourceClaim(SourcePosts.WhySoftmaxRegressionDoesNotUseMse,
            "because MSE is non-convex, descent may fail to reach the optimal parameters (also in " + SourcePosts.CrossEntropyAndMse + ")",
            ours, verdict, condition, "sign changes of dL/dw on the grid (a second minimum traps descent); otherwise " + PlateauRule);
    }

    const string PlateauRule = "a plateau is a run of grid points with |dL/dw| below 1e-3 of its peak and no sign change of dL/dw in or next to it";

    static string Intervals(IEnumerable<(double From, double To)> intervals) =>
        string.Join(" and ", intervals.Select(i => $"[{SourceClaim.Number(i.From, 3)}, {SourceClaim.Number(i.To, 3)}]"));
}
