using System.Globalization;
using TorchLoss.Comparison.Statistics;
using TorchLoss.Heads;

namespace TorchLoss.Comparison;

/// <summary>
/// A fine-tuning arm against its control (the same epochs of cross-entropy from the same weights, seed by seed): the
/// paired comparison of final test errors across seeds, McNemar's test on the same test images per seed (when the runs
/// saved their predictions), and the binomial standard error of one test error, so the reading's words follow a test
/// at a stated level rather than the spread.
/// </summary>
public sealed record FineTuneComparison(ArmResult Arm, ArmResult Control, PairedComparison Paired, IReadOnlyList<McNemar> McNemarPerSeed,
    double? BinomialStandardError)
{
    /// <summary>The level at which a difference is called a gain or a loss.</summary>
    public const double Level = 0.05;

    public static IReadOnlyList<FineTuneComparison> Of(StudyResult study)
    {
        var comparisons = new List<FineTuneComparison>();
        foreach (var model in study.Config.Models)
        {
            var arms = study.Arms.Where(a => a.Arm.Model == model && a.Arm.Kind == ArmKind.FineTune).ToList();
            var control = arms.FirstOrDefault(a => a.Arm.Head == SoftmaxCrossEntropyHead.HeadName);
            if (control is null) continue;
            foreach (var arm in arms.Where(a => a != control)) comparisons.Add(Compare(arm, control));
        }
        return comparisons;
    }

    /// <summary><paramref name="arm"/> against <paramref name="control"/> seed by seed: a fine-tuning arm against its control,
    /// or one head against another from random weights (the same initial weights per seed).</summary>
    public static FineTuneComparison Compare(ArmResult arm, ArmResult control)
    {
        var pairs = arm.Runs.Join(control.Runs, r => r.Run.Seed, r => r.Run.Seed, (a, c) => (Arm: a, Control: c))
            .Where(p => p.Arm.Summary.FinalTestError is not null && p.Control.Summary.FinalTestError is not null).OrderBy(p => p.Arm.Run.Seed).ToList();
        var paired = PairedComparison.Of(pairs.Select(p => p.Arm.Summary.FinalTestError!.Value).ToList(),
            pairs.Select(p => p.Control.Summary.FinalTestError!.Value).ToList());
        var mcnemar = pairs.Where(p => p.Arm.TestCorrect is not null && p.Control.TestCorrect?.Count == p.Arm.TestCorrect.Count)
            .Select(p => McNemar.Of(p.Arm.TestCorrect!, p.Control.TestCorrect!)).ToList();
        var examples = pairs.Select(p => p.Control.TestCorrect?.Count).FirstOrDefault(n => n > 0);
        var se = examples is { } n && double.IsFinite(control.FinalTestError.Mean) ? Binomial.StandardError(control.FinalTestError.Mean, n) : (double?)null;
        return new(arm, control, paired, mcnemar, se);
    }

    /// <summary>-1 for a loss, +1 for a gain (lower test error than the control), 0 within noise, at <see cref="Level"/>:
    /// by the paired t-test with two seeds or more, by McNemar's test with one.</summary>
    public int Verdict
    {
        get
        {
            if (Paired.Count >= 2) return Paired.PairedTP < Level ? -Math.Sign(Paired.MeanDifference) : 0;
            if (McNemarPerSeed.Count == 1 && McNemarPerSeed[0].P < Level) return McNemarPerSeed[0].OnlyA > McNemarPerSeed[0].OnlyB ? 1 : -1;
            return 0;
        }
    }

    /// <summary>The sentence's second half: the difference, the verdict (in the words <paramref name="better"/> and
    /// <paramref name="worse"/>) and the test it rests on.</summary>
    public string Reading(string better = "a gain", string worse = "a loss")
    {
        var points = -Paired.MeanDifference * 100;
        var text = $"{(points >= 0 ? "−" : "+")}{Math.Abs(points).ToString("F2", CultureInfo.InvariantCulture)} points";
        var word = Verdict switch { 1 => better, -1 => worse, _ => "within noise" };
        if (Verdict == 0 && EveryPairedSeed() is { } direction and not 0)
            word = $"{(direction > 0 ? better : worse)} on every seed's test images (McNemar) but within noise across seeds";
        string basis;
        if (Paired.Count >= 2)
        {
            basis = $"paired t-test across {Paired.Count} seeds p = {P(Paired.PairedTP)}, exact Wilcoxon p = {P(Paired.WilcoxonP)}" +
                    (Paired.Count == 2 ? "; with 2 seeds the test is weak" : "") +
                    $"; 95 % interval of the difference {Interval()}";
        }
        else basis = "one seed: no spread across seeds and no paired test";
        if (McNemarPerSeed.Count > 0)
            basis += $"; McNemar on the same test images p = {string.Join(", ", McNemarPerSeed.Select(m => P(m.P)))}" +
                     (McNemarPerSeed.Count > 1 ? " (per seed)" : "");
        if (BinomialStandardError is { } se)
            basis += $"; one test error moves by {(se * 100).ToString("F2", CultureInfo.InvariantCulture)} points (binomial standard error)";
        return $"{text}, {word} at the {Level.ToString(CultureInfo.InvariantCulture)} level ({basis})";
    }

    /// <summary>+1 (−1) when McNemar's test finds the arm better (worse) at <see cref="Level"/> on the test images of every
    /// seed, 0 when it does not agree across seeds, null without a McNemar test for each seed.</summary>
    public int? EveryPairedSeed()
    {
        if (McNemarPerSeed.Count == 0 || McNemarPerSeed.Count != Paired.Count) return null;
        var directions = McNemarPerSeed.Select(m => m.P < Level ? Math.Sign(m.OnlyA - m.OnlyB) : 0).Distinct().ToList();
        return directions.Count == 1 ? directions[0] : 0;
    }

    string Interval() => double.IsFinite(Paired.CiLow)
        ? $"{(-Paired.CiHigh * 100).ToString("F2", CultureInfo.InvariantCulture)} to {(-Paired.CiLow * 100).ToString("F2", CultureInfo.InvariantCulture)} points of gain"
        : "undefined";

    static string P(double p) => double.IsNaN(p) ? "undefined" : p < 0.001 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : p.ToString("0.###", CultureInfo.InvariantCulture);
}
