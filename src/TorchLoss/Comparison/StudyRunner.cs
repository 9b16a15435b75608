using TorchLoss.Data.Tables;
using TorchLoss.Data;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Comparison;

/// <summary>Progress of a study: the runs as a whole and the steps of the run in progress.</summary>
public interface IStudyObserver
{
    void RunStarting(int index, int total, PlannedRun run, int epochs, int stepsPerEpoch) { }
    /// <summary>A run folder that is trained again from scratch, whatever its settings, and why: it was written by the
    /// old libtorch binding (or a newer TorchLoss), its files disagree with each other, its state.json cannot be trusted
    /// or its table file has changed since, so it is neither reused nor resumed.</summary>
    void RunDiscarded(int index, int total, PlannedRun run, string reason) { }
    void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch) { }
    void RunFinished(int index, int total, RunResult result) { }
}

public sealed class SilentStudyObserver : IStudyObserver;

/// <summary>
/// Runs planned runs into a study folder. A run whose folder is complete and whose settings match is read back,
/// not redone; an interrupted one with matching settings is resumed; one with other settings is started again, and so
/// is one of another format (the old libtorch binding's) whatever its settings, or one trained on a table file whose
/// contents have changed since (by the SHA-256 it recorded), which the observer is told.
/// </summary>
public sealed class StudyRunner(string outputDirectory, ClassificationData data, IStudyObserver? observer = null)
{
    readonly IStudyObserver observer = observer ?? new SilentStudyObserver();

    public string OutputDirectory { get; } = Path.GetFullPath(outputDirectory);

    public List<RunResult> RunAll(IReadOnlyList<PlannedRun> runs, int indexOffset = 0, int? total = null)
    {
        var results = new List<RunResult>();
        for (var i = 0; i < runs.Count; i++) results.Add(Run(runs[i], indexOffset + i + 1, total ?? runs.Count));
        return results;
    }

    /// <summary>The run in <paramref name="run"/>'s folder read back when it is finished with the planned settings and its
    /// files agree with each other (and, given <paramref name="data"/>, it was trained on the same table files); null
    /// otherwise. Read-only: it takes no claim, so another process may be writing it (then it is not finished: INCOMPLETE marks it).</summary>
    public static RunResult? Finished(string outputDirectory, PlannedRun run, TableProvenance? data = null)
    {
        var folder = new RunFolder(Path.Combine(Path.GetFullPath(outputDirectory), run.Folder));
        var existing = ReadConfig(folder);
        if (existing is null || existing.FormatMismatch is not null || !Same(existing, run) || !folder.IsComplete) return null;
        if (TableProvenance.Change(existing.Environment.Data?.Table, data) is not null) return null;
        return RunConsistency.Problem(folder) is null ? RunResult.Read(run, folder, reused: true) : null;
    }

    /// <summary>Reuses, resumes or trains one run (see the class summary); <see cref="FolderInUseException"/> when another
    /// process is writing its folder.</summary>
    public RunResult Run(PlannedRun run, int index, int total)
    {
        var folder = Folder(run);
        using var claim = folder.Claim(); // held from the decision to reuse, resume or redo until the run is done
        var existing = ReadConfig(folder);
        if (existing?.FormatMismatch is { } why)
        {
            observer.RunDiscarded(index, total, run, why); // whatever its settings: never reused, never resumed
            existing = null;
        }
        var same = existing is not null && Same(existing, run);
        if (same && TableProvenance.Change(existing!.Environment.Data?.Table, data.TableProvenance) is { } change)
        {
            observer.RunDiscarded(index, total, run, change); // neither reused nor resumed: its examples are not this data's
            same = false;
        }
        if (same && folder.IsComplete)
        {
            if (RunConsistency.Problem(folder) is not { } problem)
            {
                var reused = RunResult.Read(run, folder, reused: true);
                observer.RunFinished(index, total, reused);
                return reused;
            }
            observer.RunDiscarded(index, total, run, $"its files disagree ({problem})");
            same = false;
        }
        if (same && folder.HasCheckpoint && ResumeProblem(folder) is { } unusable)
        {
            observer.RunDiscarded(index, total, run, $"it cannot be continued ({unusable})");
            same = false;
        }
        var stepsPerEpoch = data.Train.Batches(run.Config.BatchSize).Count;
        observer.RunStarting(index, total, run, run.Config.Epochs, stepsPerEpoch);
        var trainer = new Trainer(run.Config, data, folder, new StepForwarder(observer));
        if (same && folder.HasCheckpoint) trainer.Resume();
        else
        {
            folder.Clear();
            trainer.Run();
        }
        var result = RunResult.Read(run, folder, reused: false);
        observer.RunFinished(index, total, result);
        return result;
    }

    /// <summary>Why the interrupted run in <paramref name="folder"/> cannot be resumed (its state.json cannot be trusted), or null.</summary>
    static string? ResumeProblem(RunFolder folder)
    {
        try
        {
            folder.ReadStateToResume();
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message.Split('\n')[0];
        }
    }

    RunFolder Folder(PlannedRun run) => new(Path.Combine(OutputDirectory, run.Folder));

    static bool Same(RunConfigFile existing, PlannedRun run) =>
        Identity(existing.EffectiveConfig) == Identity(run.Config) && SameStart(existing, run.Config);

    static RunConfigFile? ReadConfig(RunFolder folder)
    {
        try { return folder.ReadConfig(); }
        catch (Exception e) when (e is InvalidDataException or NotARunConfigException) { return null; }
    }

    /// <summary>A run that starts from another run's weights is the same only if those weights are too.</summary>
    static bool SameStart(RunConfigFile existing, TrainConfig planned) =>
        planned.InitFrom is not { } initial || (File.Exists(initial) && existing.Environment.InitFromSha256 == FileCheck.Sha256Hex(initial));

    /// <summary>The settings that decide what a run computes (thread counts and the data folder do not).</summary>
    static TrainConfig Identity(TrainConfig c) => c.WithDatasetDefaults() with { Threads = null, BlasThreads = null, DataDirectory = null };

    sealed class StepForwarder(IStudyObserver observer) : ITrainingObserver
    {
        public void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch) => observer.StepCompleted(epoch, stepInEpoch, stepsPerEpoch);
    }
}
