using TorchLoss.Data;

namespace TorchLoss.Comparison;

/// <summary>The outcome of a study: the learning rate chosen per (model, head) and every arm's results.</summary>
public sealed record StudyResult(StudyConfig Config, IReadOnlyDictionary<(string Model, string Head), LearningRateChoice> LearningRates,
    IReadOnlyList<ArmResult> Arms, TimeSpan Elapsed, int RunsTrained, int RunsReused);

/// <summary>The validation error of every learning rate tried for one (model, head), and the one chosen.</summary>
public sealed record LearningRateChoice(string Model, string Head, double Chosen, IReadOnlyList<(double LearningRate, double ValidationError)> Tried);

/// <summary>Runs a whole comparison: tuning, then every arm for every seed, into one output folder.</summary>
public static class Study
{
    public static StudyResult Run(StudyConfig config, string outputDirectory, ClassificationData data, IStudyObserver? observer = null)
    {
        config.Validate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = new StudyPlan(config);
        var runner = new StudyRunner(outputDirectory, data, observer);
        var tuning = plan.TuningRuns().ToList();
        var armCount = plan.ArmRuns((_, _) => 1, runner.OutputDirectory).Count();
        var total = tuning.Count + armCount;

        var tuned = runner.RunAll(tuning, 0, total);
        var choices = ChooseLearningRates(tuned);
        var armRuns = plan.ArmRuns((m, h) => choices[(m, h)].Chosen, runner.OutputDirectory).ToList();
        var results = runner.RunAll(armRuns, tuning.Count, total);

        var arms = plan.Arms().Select(arm => new ArmResult(arm, choices[(arm.Model, arm.Head)].Chosen,
            results.Where(r => r.Run.Arm == arm).OrderBy(r => r.Run.Seed).ToList(), config.TargetAccuracy)).ToList();
        var all = tuned.Concat(results).ToList();
        return new StudyResult(config, choices, arms, clock.Elapsed, all.Count(r => !r.Reused), all.Count(r => r.Reused));
    }

    /// <summary>Per (model, head), the rate with the lowest best validation error; ties go to the smaller rate.
    /// A diverged tuning run counts as error 1.</summary>
    internal static Dictionary<(string, string), LearningRateChoice> ChooseLearningRates(List<RunResult> tuned)
    {
        var choices = new Dictionary<(string, string), LearningRateChoice>();
        foreach (var group in tuned.GroupBy(r => (r.Run.Config.Model, r.Run.Config.Head)))
        {
            var tried = group.Select(r => (r.Run.Config.LearningRate,
                    ValidationError: r.Summary.Status == Training.RunStatus.Diverged ? 1.0 : r.Summary.BestValidationError ?? 1.0))
                .OrderBy(t => t.LearningRate).ToList();
            var best = tried.OrderBy(t => t.ValidationError).ThenBy(t => t.LearningRate).First();
            choices[group.Key] = new LearningRateChoice(group.Key.Model, group.Key.Head, best.LearningRate, tried);
        }
        return choices;
    }
}
