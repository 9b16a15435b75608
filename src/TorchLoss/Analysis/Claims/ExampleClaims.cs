using TorchLoss.Engines;
namespace TorchLoss.Analysis.Claims;

/// <summary>Ways to turn (p - y)^2 over the classes into one number; the last is not a loss anyone defines, but it is
/// what reproduces a printed value that the post's own definition does not.</summary>
public enum SquaredErrorConvention
{
    /// <summary>1/2 sum over classes.</summary>
    HalfSum,
    /// <summary>1/C sum over classes.</summary>
    MeanOverClasses,
    /// <summary>sum over classes, no factor.</summary>
    Sum,
    /// <summary>sum over the wrong classes only (where y = 0), no factor.</summary>
    WrongClassesOnly,
}

/// <summary>The claims `examples` checks: the numbers of the 3-class example, softmax(0.2, 5, 0.3), and whether
/// cross-entropy's and squared error's gradients vanish in saturation.</summary>
public static class ExampleClaims
{
    /// <summary>The convention the post defines (MSE = 1/N sum over the N classes).</summary>
    public const SquaredErrorConvention CrossEntropyAndMseConvention = SquaredErrorConvention.MeanOverClasses;

    public static IReadOnlyList<SourceClaim> All(IReadOnlyList<double> target, IReadOnlyList<PredictionLosses> losses,
        IReadOnlyList<double> softmax, SaturationCurve crossEntropy, SaturationCurve squaredError) =>
    [
        CrossEntropyValue(losses, "0.223"),
        SquaredErrorValue(target, losses[0], "0.02", CrossEntropyAndMseConvention),
        SquaredErrorValue(target, losses[1], "0.025", CrossEntropyAndMseConvention),
        SoftmaxValues([0.2, 5, 0.3], softmax, ["0.00809", "0.983", "0.00894"]),
        CrossEntropyKeepsItsGradient(crossEntropy),
        SquaredErrorLosesItsGradient(squaredError),
    ];

    public static double Value(IReadOnlyList<double> target, PredictionLosses losses, SquaredErrorConvention convention) => convention switch
    {
        SquaredErrorConvention.HalfSum => losses.HalfSumSquaredError,
        SquaredErrorConvention.MeanOverClasses => losses.MeanSquaredError,
        SquaredErrorConvention.Sum => losses.SumOfSquares,
        _ => losses.Prediction.Where((_, i) => target[i] == 0).Sum(p => p * p),
    };

    public static string Label(SquaredErrorConvention convention) => convention switch
    {
        SquaredErrorConvention.HalfSum => "1/2 sum (p-y)^2",
        SquaredErrorConvention.MeanOverClasses => "1/C sum (p-y)^2",
        SquaredErrorConvention.Sum => "sum (p-y)^2",
        _ => "the sum of p^2 over the wrong classes only (no 1/C)",
    };

    public static SourceClaim CrossEntropyValue(IReadOnlyList<PredictionLosses> losses, string printed)
    {
        var bases = new (string Name, double Scale)[] { ("nats (ln)", 1), ("bits (log2)", 1 / Math.Log(2)), ("log10", 1 / Math.Log(10)) };
        var matching = bases.Where(b => losses.All(l => PrintedNumber.Matches(l.CrossEntropy * b.Scale, printed))).Select(b => b.Name).ToList();
        return new SourceClaim(SourcePosts.CrossEntropyAndMse,
            $"both predictions have cross-entropy -log 0.8 = {printed}",
            $"{string.Join(" and ", losses.Select(l => SourceClaim.Number(l.CrossEntropy)))} nats; {printed} is " +
            (matching.Count == 0 ? "no common base" : $"the value in {string.Join(", ", matching)}"),
            matching.Count > 0 ? Verdict.Holds : Verdict.DoesNotHold, null,
            "each prediction's CE, in nats, bits and log10, rounded to the printed digits against the printed number");
    }

    /// <param name="convention">The convention the post is taken to use; the verdict compares the printed number with
    /// ours under it, and every convention is tried to say which one gives the printed number.</param>
    public static SourceClaim SquaredErrorValue(IReadOnlyList<double> target, PredictionLosses losses, string printed, SquaredErrorConvention convention)
    {
        var ours = Value(target, losses, convention);
        var holds = PrintedNumber.Matches(ours, printed);
        var matching = Enum.GetValues<SquaredErrorConvention>().Where(c => PrintedNumber.Matches(Value(target, losses, c), printed)).ToList();
        var others = matching.Where(c => c != convention).Select(Label).ToList();
        var ourText = $"{Label(convention)} = {SourceClaim.Number(ours)}";
        if (!holds) ourText += others.Count == 0 ? $"; no convention gives {printed}" : $"; {printed} is {string.Join(", or ", others)}";
        else if (others.Count > 0) ourText += $" (so is {string.Join(", ", others)})";
        return new SourceClaim(SourcePosts.CrossEntropyAndMse,
            $"the MSE of {SourceClaim.Vector(losses.Prediction)} against {SourceClaim.Vector(target)} is {printed}, with MSE = {Label(convention)}",
            ourText, holds ? Verdict.Holds : Verdict.DoesNotHold, null,
            "our value under the post's convention, rounded to the printed digits, against the printed number; " +
            "the other conventions are tried to name the one that gives it");
    }

    public static SourceClaim SoftmaxValues(IReadOnlyList<double> logits, IReadOnlyList<double> ours, IReadOnlyList<string> printed)
    {
        var holds = ours.Count == printed.Count && ours.Zip(printed, PrintedNumber.Matches).All(m => m);
        return new SourceClaim(SourcePosts.MsePoorlyWithSoftmax,
            $"softmax{SourceClaim.Vector(logits)} = ({string.Join(", ", printed)})",
            SourceClaim.Vector(ours), holds ? Verdict.Holds : Verdict.DoesNotHold, null,
            "each of our probabilities rounded to the printed digits against the printed one");
    }

    public static SourceClaim CrossEntropyKeepsItsGradient(SaturationCurve curve)
    {
        var (verdict, condition) = (curve.VanishesWhenWrong, curve.VanishesWhenRight) switch
        {
            (false, false) => (Verdict.Holds, null),
            (false, true) => (Verdict.HoldsOnlyWhen, "the prediction is confidently wrong (when it is confidently right the gradient vanishes)"),
            (true, false) => (Verdict.HoldsOnlyWhen, "the prediction is confidently right (when it is confidently wrong the gradient vanishes)"),
            _ => (Verdict.DoesNotHold, (string?)null),
        };
        return new SourceClaim(SourcePosts.MsePoorlyWithSoftmax,
            "with softmax and cross-entropy, dL/dz does not vanish when the softmax outputs saturate at 0 or 1",
            Ends(curve), verdict, condition, VanishingRule);
    }

    public static SourceClaim SquaredErrorLosesItsGradient(SaturationCurve curve)
    {
        var (verdict, condition) = (curve.VanishesWhenWrong, curve.VanishesWhenRight) switch
        {
            (true, true) => (Verdict.Holds, null),
            (true, false) => (Verdict.HoldsOnlyWhen, "the prediction is confidently wrong"),
            (false, true) => (Verdict.HoldsOnlyWhen, "the prediction is confidently right"),
            _ => (Verdict.DoesNotHold, (string?)null),
        };
        return new SourceClaim(SourcePosts.MsePoorlyWithSoftmax,
            "with softmax and squared error, dL/dz vanishes when the softmax outputs saturate at 0 or 1",
            Ends(curve), verdict, condition, VanishingRule);
    }

    const string VanishingRule = "an end of the margin sweep counts as vanished when |dL/dz| there is below 1e-6 of the sweep's peak (as in `saturation`)";

    static string Ends(SaturationCurve c) =>
        $"{c.Head}, {c.Outputs} classes: |dL/dz| = {SourceClaim.Sci(c.Points[0].GradientNorm)} at margin {SourceClaim.Number(c.Points[0].Margin)} (confidently wrong), " +
        $"{SourceClaim.Sci(c.Points[^1].GradientNorm)} at {SourceClaim.Number(c.Points[^1].Margin)} (confidently right), peak {SourceClaim.Sci(c.Peak)}";
}
