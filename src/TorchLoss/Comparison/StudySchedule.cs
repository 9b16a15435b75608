using TorchLoss.Heads;

namespace TorchLoss.Comparison;

/// <summary>The three phases of a study, in the order their inputs require.</summary>
public enum StudyPhase
{
    /// <summary>Every head and model at every learning rate of the grid.</summary>
    Tuning = 1,
    /// <summary>Every head from random weights, and the init-scale sweep: they need their (model, head)'s tuned rate.</summary>
    Arms = 2,
    /// <summary>From the cross-entropy arm's final weights: they need that run too.</summary>
    FineTuning = 3,
}

public static class StudyPhases
{
    /// <summary>The phase's name in files and job names: tuning, arms, fine-tuning.</summary>
    public static string Slug(this StudyPhase phase) => phase == StudyPhase.FineTuning ? "fine-tuning" : phase.ToString().ToLowerInvariant();
}

public enum StepStatus { Finished, Ready, Waiting }

/// <summary>One run of the study: its phase, its place in the phase (which decides its shard), whether it is finished,
/// can start, or waits (and for what). The learning rate of an arm is NaN until its tuning is finished.</summary>
public sealed record StudyStep(StudyPhase Phase, int IndexInPhase, PlannedRun Run, StepStatus Status, string? WaitsFor)
{
    /// <summary>The shard (1..<paramref name="shards"/>) that runs this step: its place in its phase, round robin, so
    /// each phase is spread over every shard and the assignment never depends on timing.</summary>
    public int Shard(int shards) => IndexInPhase % shards + 1;
}

/// <summary>
/// Where a study stands, read from its folder: every planned run in dependency order with its status. Runs that are
/// finished elsewhere (another shard, an earlier session) count as finished when their files agree with the plan
/// (<see cref="StudyRunner.Finished"/>), and, given the data, were trained on the same table files.
/// </summary>
public sealed class StudySchedule
{
    StudySchedule(IReadOnlyList<StudyStep> steps) => Steps = steps;

    public IReadOnlyList<StudyStep> Steps { get; }

    public bool IsFinished => Steps.All(s => s.Status == StepStatus.Finished);

    /// <param name="data">the study's table as loaded now; null: not compared (images, or a plan read without the data).</param>
    public static StudySchedule Read(StudyConfig config, string outputDirectory, Data.Tables.TableProvenance? data = null)
    {
        var plan = new StudyPlan(config);
        var output = Path.GetFullPath(outputDirectory);
        var steps = new List<StudyStep>();

        var tuned = new List<RunResult>();
        var untuned = new HashSet<(string Model, string Head)>();
        foreach (var (run, i) in plan.TuningRuns().Select((r, i) => (r, i)))
        {
            var finished = StudyRunner.Finished(output, run, data);
            if (finished is null) untuned.Add((run.Config.Model, run.Config.Head));
            else tuned.Add(finished);
            steps.Add(new StudyStep(StudyPhase.Tuning, i, run, finished is null ? StepStatus.Ready : StepStatus.Finished, null));
        }
        var rates = Study.ChooseLearningRates(tuned);
        double Rate(string model, string head) => untuned.Contains((model, head)) ? double.NaN : rates[(model, head)].Chosen;

        var arms = plan.ArmRuns(Rate, output).ToList();
        var armIndex = 0;
        foreach (var run in arms.Where(r => r.Arm!.Kind != ArmKind.FineTune))
            steps.Add(Step(StudyPhase.Arms, armIndex++, run, output, data, WaitsForTuning(run)));
        var fineIndex = 0;
        foreach (var run in arms.Where(r => r.Arm!.Kind == ArmKind.FineTune))
        {
            var start = arms.Single(r => r.Arm == new Arm(ArmKind.RandomInit, run.Arm!.Model, SoftmaxCrossEntropyHead.HeadName) && r.Seed == run.Seed);
            var waits = WaitsForTuning(run) ?? (StudyRunner.Finished(output, start, data) is null ? start.Folder : null);
            steps.Add(Step(StudyPhase.FineTuning, fineIndex++, run, output, data, waits));
        }
        return new StudySchedule(steps);
    }

    static string? WaitsForTuning(PlannedRun run) => double.IsNaN(run.Config.LearningRate)
        ? $"the tuning of {run.Config.Head} on {run.Config.Model}"
        : null;

    static StudyStep Step(StudyPhase phase, int index, PlannedRun run, string output, Data.Tables.TableProvenance? data, string? waitsFor) =>
        waitsFor is not null ? new StudyStep(phase, index, run, StepStatus.Waiting, waitsFor)
        : new StudyStep(phase, index, run, StudyRunner.Finished(output, run, data) is null ? StepStatus.Ready : StepStatus.Finished, null);
}
