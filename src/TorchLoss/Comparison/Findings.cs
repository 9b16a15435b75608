using System.Globalization;
using TorchLoss.Heads;

namespace TorchLoss.Comparison;

/// <summary>
/// The report's plain-language reading, computed from the results: every sentence is built from the numbers,
/// and words such as "stuck" follow stated thresholds, so a different outcome reads differently.
/// </summary>
public static class Findings
{
    public static IReadOnlyList<string> Read(StudyResult study)
    {
        var lines = new List<string>();
        foreach (var model in study.Config.Models)
        {
            var random = study.Arms.Where(a => a.Arm.Model == model && a.Arm.Kind == ArmKind.RandomInit).ToList();
            if (random.Count == 0) continue;
            lines.Add(RandomInit(random));
            if (Why(random) is { } why) lines.Add(why);
            if (AgainstThePostsExperiment(random) is { } post) lines.Add(post);
            if (AgainstHuiAndBelkin(random) is { } logits) lines.Add(logits);
            if (random.FirstOrDefault(a => a.Arm.Head == SoftmaxCrossEntropyHead.HeadName) is { } ceBase)
                lines.AddRange(FineTuneComparison.Of(study).Where(c => c.Arm.Arm.Model == model).Select(c => FineTuning(c, ceBase)));
        }
        if (InitScales(study) is { } scales) lines.Add(scales);
        var doubtful = study.LearningRates.Values.Where(c => c.Caution is not null).ToList();
        if (doubtful.Count > 0)
            lines.Add("Learning rates to doubt: " + string.Join("; ", doubtful.Select(c =>
                $"{c.Head} on {c.Model} chose {c.Chosen.ToString(CultureInfo.InvariantCulture)} ({c.Caution})")) + ".");
        return lines;
    }

    static string RandomInit(List<ArmResult> arms)
    {
        var ranked = arms.OrderBy(a => a.FinalTestError.Mean).ToList();
        var text = $"{arms[0].Arm.ModelLabel}, from random weights: " +
                   string.Join(", ", ranked.Select(a => $"{a.Arm.Head} ends at {a.FinalTestError.Percent()} test error")) + ".";
        var epochs = arms[0].Runs.FirstOrDefault()?.Epochs.Count ?? 0;
        var rule = arms[0].Stuck;
        var notes = arms.Select(a => (a.Arm.Head, First: a.FirstEpoch("validation_error").Mean, Last: a.LastEpoch("validation_error").Mean,
                Stuck: a.StuckSeeds, Seeds: a.Runs.Count, PerSeed: a.PerSeedPercent, Diverging: a.DivergingSeeds,
                Growth: a.TrainLossGrowth.Where(g => g > ArmResult.DivergenceGrowth).DefaultIfEmpty(double.NaN).Min()))
            .Select(a => a.Diverging > 0
                ? $"{a.Head} diverges{SeedsWord(a.Diverging, a.Seeds)}: its training loss ends {a.Growth:0.#e+0} times its lowest or more, and its " +
                  $"validation error goes from {a.First * 100:F1} % after epoch 1 to {a.Last * 100:F1} % after epoch {epochs} (test error per seed: {a.PerSeed}); its rate is too large for it"
                : a.Stuck == a.Seeds && a.Seeds > 0
                ? $"{a.Head} is stuck{(a.Seeds == 2 ? " in both seeds" : a.Seeds > 2 ? $" in all {a.Seeds} seeds" : "")}: validation error {a.First * 100:F1} % after epoch 1 and still {a.Last * 100:F1} % after epoch {epochs}"
                : a.Stuck > 0
                    ? $"{a.Head} is stuck in {a.Stuck} of {a.Seeds} seeds and learns in the others (test error per seed: {a.PerSeed})"
                    : rule.IsStuck(a.First)
                        ? $"{a.Head} starts slowly (validation error {a.First * 100:F1} % after epoch 1) but gets to {a.Last * 100:F1} %"
                        : null)
            .OfType<string>().ToList();
        if (notes.Count > 0) text += $" {string.Join("; ", notes)} ({rule.Description}" +
                                     (arms.Any(a => a.DivergingSeeds > 0) ? $"; one diverges when its training loss ends more than {ArmResult.DivergenceGrowth:N0} times its lowest" : "") + ").";
        return text;
    }

    /// <summary>" in both seeds", " in all 5 seeds", " in 2 of 5 seeds", or nothing for a single seed.</summary>
    static string SeedsWord(int count, int seeds) => seeds == 1 ? "" : count < seeds ? $" in {count} of {seeds} seeds"
        : seeds == 2 ? " in both seeds" : $" in all {seeds} seeds";

    /// <summary>The mechanism: saturation and the size of dL/dz in the first epoch, against cross-entropy.</summary>
    static string? Why(List<ArmResult> arms)
    {
        var ce = arms.FirstOrDefault(a => a.Arm.Head == SoftmaxCrossEntropyHead.HeadName);
        if (ce is null) return null;
        var ceGradient = ce.FirstEpoch("output_grad_norm").Mean;
        var parts = arms.Where(a => a != ce).Select(a =>
        {
            var gradient = a.FirstEpoch("output_grad_norm").Mean;
            var ratio = gradient > 0 ? ceGradient / gradient : double.PositiveInfinity;
            return $"{a.Arm.Head}: {a.FirstEpoch("saturated_fraction").Mean * 100:F1} % of outputs saturated{Wrongly(a)}, mean ‖dL/dz‖ {F(gradient)}" +
                   (ratio >= 1 ? $" ({F(ratio)}× smaller than cross-entropy's" : $" ({F(1 / ratio)}× larger than cross-entropy's") +
                   $"{OwnStart(a)})";
        });
        var clauses = parts.Prepend($"{SoftmaxCrossEntropyHead.HeadName} has {ce.FirstEpoch("saturated_fraction").Mean * 100:F1} % of outputs saturated{Wrongly(ce)} and " +
                                    $"mean ‖dL/dz‖ {F(ceGradient)}{(OwnStart(ce) is { Length: > 0 } own ? $" ({own[2..]})" : "")}").ToList();
        // With cross-entropy alone there is nothing to compare, so no clause after it and no word on comparing scales.
        return $"Why, in the first epoch: {string.Join("; ", clauses)}." +
               (clauses.Count > 1 ? " Losses of different scale are compared by each head's own ‖dL/dz‖ at initialization too." : "");
    }

    /// <summary>"; 0.52× its own at initialization": the first epoch's ‖dL/dz‖ against the same head's on the initial model,
    /// which does not depend on the loss's scale; nothing for runs without an initial record.</summary>
    static string OwnStart(ArmResult arm)
    {
        var initial = arm.Initial("output_grad_norm").Mean;
        var first = arm.FirstEpoch("output_grad_norm").Mean;
        return double.IsFinite(initial) && initial > 0 && double.IsFinite(first) ? $"; {F(first / initial)}× its own at initialization" : "";
    }

    /// <summary>" (0.4 % wrongly: the true class near 0 or another near 1)"; nothing for runs that did not record it.</summary>
    static string Wrongly(ArmResult arm) => arm.FirstEpoch("wrong_saturated_fraction").Mean is var w && double.IsFinite(w)
        ? $" ({w * 100:F1} % wrongly: the true class's output near 0 or another's near 1)"
        : "";

    /// <summary>Softmax regression, <see cref="SoftmaxSquaredErrorHead"/> against <see cref="SoftmaxCrossEntropyHead"/>
    /// from the same initial weights per seed, set against the experiment 为什么Softmax回归不用MSE cites (squared error
    /// trains, to a somewhat lower accuracy).</summary>
    static string? AgainstThePostsExperiment(List<ArmResult> arms)
    {
        if (Models.ModelSpec.Parse(arms[0].Arm.Model).Kind != Models.ModelKind.Linear) return null;
        var ce = arms.FirstOrDefault(a => a.Arm.Head == SoftmaxCrossEntropyHead.HeadName);
        var mse = arms.FirstOrDefault(a => a.Arm.Head == SoftmaxSquaredErrorHead.HeadName);
        if (ce is null || mse is null) return null;
        var (paired, significant, test) = PairedFinalTestErrors(mse, ce);
        var verdict = !significant ? "within noise, neither confirming nor contradicting"
            : paired.MeanDifference < 0 ? "the reverse of" : "as";
        return $"{arms[0].Arm.ModelLabel}: {SoftmaxSquaredErrorHead.HeadName} ends at {mse.FinalTestError.Percent()} against {ce.FinalTestError.Percent()} for {SoftmaxCrossEntropyHead.HeadName} " +
               $"from the same initial weights ({test}): {verdict} the experiment that {Analysis.Claims.SourcePosts.WhySoftmaxRegressionDoesNotUseMse} " +
               "cites, where squared error trains to a somewhat lower accuracy.";
    }

    /// <summary>The square loss on logits against cross-entropy from the same initial weights per seed and for the same
    /// epochs, by the fine-tuning arms' tests, set against Hui and Belkin's finding that the two are comparable.</summary>
    static string? AgainstHuiAndBelkin(List<ArmResult> arms)
    {
        var ce = arms.FirstOrDefault(a => a.Arm.Head == SoftmaxCrossEntropyHead.HeadName);
        var logits = arms.FirstOrDefault(a => a.Arm.Head == LogitSquaredErrorHead.HeadName);
        if (ce is null || logits is null) return null;
        var comparison = FineTuneComparison.Compare(logits, ce);
        var verdict = comparison.Verdict switch
        {
            -1 => "Hui and Belkin's \"comparable\" does not hold here",
            1 => "better than cross-entropy, as Hui and Belkin found in some tasks",
            _ when comparison.EveryPairedSeed() == -1 => "not comparable on any seed's test images, though the seeds are too few to tell",
            _ => "this does not contradict Hui and Belkin's \"comparable\"",
        };
        return $"{arms[0].Arm.ModelLabel}: the square loss on logits ({LogitSquaredErrorHead.HeadName}) ends at {logits.FinalTestError.Percent()} against " +
               $"{ce.FinalTestError.Percent()} for {SoftmaxCrossEntropyHead.HeadName}, from the same initial weights and for the same epochs: " +
               $"{comparison.Reading(better: "better", worse: "worse")}; {verdict}.";
    }

    /// <summary>Final test errors of <paramref name="a"/> against <paramref name="b"/>, paired by seed; whether they differ
    /// at <see cref="FineTuneComparison.Level"/>, and the test's words.</summary>
    static (Statistics.PairedComparison Paired, bool Significant, string Test) PairedFinalTestErrors(ArmResult a, ArmResult b)
    {
        var pairs = a.Runs.Join(b.Runs, r => r.Run.Seed, r => r.Run.Seed, (x, y) => (x.Summary.FinalTestError, y.Summary.FinalTestError))
            .Where(p => p.Item1 is not null && p.Item2 is not null).ToList();
        var paired = Statistics.PairedComparison.Of(pairs.Select(p => p.Item1!.Value).ToList(), pairs.Select(p => p.Item2!.Value).ToList());
        var significant = paired.Count >= 2 && paired.PairedTP < FineTuneComparison.Level;
        var test = paired.Count >= 2 ? $"paired t-test across {paired.Count} seeds p = {paired.PairedTP.ToString("0.###", CultureInfo.InvariantCulture)}" : "one seed, no test";
        return (paired, significant, test);
    }

    static string FineTuning(FineTuneComparison c, ArmResult ceBase) =>
        $"{c.Arm.Arm.ModelLabel}, Golik's recipe: the cross-entropy model ({ceBase.FinalTestError.Percent()}) fine-tuned with " +
        $"{c.Arm.Arm.Head} ends at {c.Arm.FinalTestError.Percent()}, against {c.Control.FinalTestError.Percent()} for the same epochs " +
        $"of cross-entropy: {c.Reading()}.";

    static string? InitScales(StudyResult study)
    {
        var sweep = study.Arms.Where(a => a.Arm.Kind == ArmKind.InitScale).ToList();
        if (sweep.Count == 0) return null;
        var largest = sweep.Max(a => a.Arm.InitScale);
        var model = sweep[0].Arm.Model;
        var parts = study.Config.Heads.Select(head =>
        {
            var at1 = study.Arms.First(a => a.Arm.Kind == ArmKind.RandomInit && a.Arm.Model == model && a.Arm.Head == head);
            var atLargest = sweep.First(a => a.Arm.Head == head && a.Arm.InitScale == largest);
            return (head, at1, atLargest, change: atLargest.FinalTestError.Mean - at1.FinalTestError.Mean);
        }).OrderBy(p => p.change).ToList();
        return $"Init-scale sweep ({sweep[0].Arm.ModelLabel}): from init ×1 to ×{largest.ToString(CultureInfo.InvariantCulture)}, " +
               string.Join(", ", parts.Select(p => $"{p.head} goes from {p.at1.FinalTestError.Percent()} to {p.atLargest.FinalTestError.Percent()} " +
                                                    $"(saturated outputs in epoch 1: {p.atLargest.FirstEpoch("saturated_fraction").Mean * 100:F0} %{Split(p.atLargest)})")) + ".";
    }

    /// <summary>"; stuck in 1 of 3 seeds: 89.90 / 2.79 / 2.55 %" when the seeds split, which a mean ± std hides.</summary>
    static string Split(ArmResult arm) => arm.StuckSeeds > 0 && arm.StuckSeeds < arm.Runs.Count
        ? $"; stuck in {arm.StuckSeeds} of {arm.Runs.Count} seeds: {arm.PerSeedPercent}"
        : "";

    static string F(double v) => v.ToString(v >= 100 ? "F0" : "G3", CultureInfo.InvariantCulture);
}
