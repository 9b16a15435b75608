using TorchLoss.Data.Tables;
using TorchLoss.Data;
using TorchLoss.Reporting;
using TorchLoss.Runtime;

namespace TorchLoss.Comparison;

/// <summary>The outcome of a study: the learning rate chosen per (model, head) and every arm's results.</summary>
public sealed record StudyResult(StudyConfig Config, IReadOnlyDictionary<(string Model, string Head), LearningRateChoice> LearningRates,
    IReadOnlyList<ArmResult> Arms, TimeSpan Elapsed, int RunsTrained, int RunsReused, StudyData? Data = null)
{
    /// <summary>When its runs count as stuck: the arms' rule, by the number of classes they were trained on.</summary>
    public StuckRule Stuck => Arms.Count > 0 ? Arms[0].Stuck : StuckRule.TenClasses;
}

/// <summary>What the study's runs trained on, for the report.</summary>
public sealed record StudyData(IReadOnlyList<string> ClassNames, int Features, int TrainCount, int ValidationCount, int TestCount,
    TableProvenance? Table, bool Standardized)
{
    public int ClassCount => ClassNames.Count;

    public static StudyData Of(ClassificationData data) => new(data.ClassNames, data.Features, data.Train.Count, data.Validation.Count,
        data.Test.Count, data.TableProvenance, data.Standardized);
}

/// <summary>The validation error of every learning rate tried for one (model, head), its mean over the tuning seeds,
/// and the one chosen. <paramref name="BySeed"/>: each rate's errors, seed by seed (empty where not recorded).</summary>
public sealed record LearningRateChoice(string Model, string Head, double Chosen, IReadOnlyList<(double LearningRate, double ValidationError)> Tried,
    IReadOnlyDictionary<double, IReadOnlyList<double>>? BySeed = null)
{
    /// <summary>The lowest and highest seed's error at <paramref name="learningRate"/>, or null with fewer than two seeds.</summary>
    public (double Low, double High)? Spread(double learningRate) =>
        BySeed is not null && BySeed.TryGetValue(learningRate, out var errors) && errors.Count > 1 ? (errors.Min(), errors.Max()) : null;

    /// <summary>Why the choice deserves doubt, or null: every rate of the grid tied, or the chosen rate tied with
    /// another (the grid did not decide), or it is the grid's smallest or largest (the best may lie outside it).</summary>
    public string? Caution
    {
        get
        {
            if (Tried.Count > 1 && Tried.All(t => t.ValidationError == Tried[0].ValidationError))
                return "every rate tied: the grid did not decide, the smallest was taken";
            var chosenError = Tried.FirstOrDefault(t => t.LearningRate == Chosen).ValidationError;
            var ties = Tried.Where(t => t.LearningRate != Chosen && t.ValidationError == chosenError).Select(t => t.LearningRate).ToList();
            if (ties.Count > 0)
                return $"tied with {string.Join(", ", ties.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)))}: " +
                       "the grid did not decide between them, the smallest was taken";
            if (Tried.Count > 1 && Chosen == Tried.Min(t => t.LearningRate)) return "the grid's smallest rate: a smaller one may be better";
            if (Tried.Count > 1 && Chosen == Tried.Max(t => t.LearningRate)) return "the grid's largest rate: a larger one may be better";
            return null;
        }
    }
}

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
            results.Where(r => r.Run.Arm == arm).OrderBy(r => r.Run.Seed).ToList(), config.TargetAccuracy, new StuckRule(data.ClassCount))).ToList();
        var all = tuned.Concat(results).ToList();
        return new StudyResult(config, choices, arms, clock.Elapsed, all.Count(r => !r.Reused), all.Count(r => r.Reused), StudyData.Of(data));
    }

    /// <summary>
    /// Runs shard <paramref name="shard"/> of <paramref name="shards"/>: the steps assigned to it (<see cref="StudyStep.Shard"/>)
    /// whose inputs are ready, phase after phase, until none of its steps is ready. Safe with the other shards running at
    /// once on the same folder (each run folder has one writer; a run another process is writing is left to it) and
    /// rerunnable (finished runs are reused). Returns the schedule as this shard leaves it.
    /// </summary>
    public static (StudySchedule Schedule, int Trained, int HeldElsewhere) RunShard(StudyConfig config, string outputDirectory, ClassificationData data,
        int shard, int shards, IStudyObserver? observer = null)
    {
        config.Validate();
        if (shards < 1 || shard < 1 || shard > shards) throw new FormatException($"--shard {shard}/{shards}: expected I/N with 1 <= I <= N");
        var runner = new StudyRunner(outputDirectory, data, observer);
        var attempted = new HashSet<string>();
        int trained = 0, heldElsewhere = 0;
        while (true)
        {
            var schedule = StudySchedule.Read(config, outputDirectory, data.TableProvenance);
            var mine = schedule.Steps.Where(s => s.Shard(shards) == shard).ToList();
            var ready = mine.Where(s => s.Status == StepStatus.Ready && !attempted.Contains(s.Run.Folder)).ToList();
            if (ready.Count == 0) return (schedule, trained, heldElsewhere);
            foreach (var step in ready)
            {
                attempted.Add(step.Run.Folder);
                try
                {
                    if (!runner.Run(step.Run, mine.IndexOf(step) + 1, mine.Count).Reused) trained++;
                }
                catch (FolderInUseException)
                {
                    heldElsewhere++; // another process is writing it: it finishes it, and the next phase waits for it
                }
            }
        }
    }

    /// <summary>Per (model, head), the rate with the lowest best validation error; ties go to the smaller rate.
    /// A diverged tuning run counts as error 1.</summary>
    internal static Dictionary<(string, string), LearningRateChoice> ChooseLearningRates(List<RunResult> tuned)
    {
        var choices = new Dictionary<(string, string), LearningRateChoice>();
        foreach (var group in tuned.GroupBy(r => (r.Run.Config.Model, r.Run.Config.Head)))
        {
            var bySeed = group.GroupBy(r => r.Run.Config.LearningRate).ToDictionary(g => g.Key, g => (IReadOnlyList<double>)g.OrderBy(r => r.Run.Seed)
                .Select(r => r.Summary.Status == Training.RunStatus.Diverged ? 1.0 : r.Summary.BestValidationError ?? 1.0).ToList());
            var tried = bySeed.Select(kv => (LearningRate: kv.Key, ValidationError: kv.Value.Average())).OrderBy(t => t.LearningRate).ToList();
            var best = tried.OrderBy(t => t.ValidationError).ThenBy(t => t.LearningRate).First();
            choices[group.Key] = new LearningRateChoice(group.Key.Model, group.Key.Head, best.LearningRate, tried, bySeed);
        }
        return choices;
    }
}
