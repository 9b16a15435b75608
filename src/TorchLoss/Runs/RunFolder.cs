using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Runs;

/// <summary>
/// The folder of one run (runs/NAME): config.json, metrics (jsonl, csv, TensorBoard events), the latest and the
/// best model, the last epoch's checkpoint and, when finished, summary.json. While a run is in progress, or if it was interrupted, the file INCOMPLETE
/// marks it; it is removed only after summary.json is in place.
/// </summary>
public sealed class RunFolder
{
    public const string ConfigFile = "config.json";
    public const string SummaryFile = "summary.json";
    public const string StateFile = "state.json";
    public const string ModelFile = "model.params";
    public const string BestModelFile = "best.params";
    public const string IncompleteMarker = "INCOMPLETE";

    public RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public bool Exists => Directory.Exists(Path);

    public bool IsComplete => System.IO.File.Exists(File(SummaryFile)) && !System.IO.File.Exists(File(IncompleteMarker));

    public bool HasCheckpoint => System.IO.File.Exists(File(StateFile));

    /// <summary>The run's config.json, or null when the folder has none; <see cref="NotARunConfigException"/> when it is
    /// another tool's config.json.</summary>
    public RunConfigFile? ReadConfig() =>
        System.IO.File.Exists(File(ConfigFile)) ? RunConfigFile.Read(File(ConfigFile)) : null;

    /// <summary>The config.json of a run that can be continued; <see cref="InvalidDataException"/> (one line) when there
    /// is none, or when the run is of another format (<see cref="RunConfigFile.FormatMismatch"/>).</summary>
    public RunConfigFile ReadConfigToResume()
    {
        RunConfigFile? read;
        try { read = ReadConfig(); }
        catch (NotARunConfigException e)
        {
            throw new InvalidDataException($"cannot resume {e.Folder}: it is not a TorchLoss run folder ({e.Reason})");
        }
        var config = read ?? throw new InvalidDataException(Directory.Exists(Path)
            ? $"{Path} holds no run ({ConfigFile} is missing): it was interrupted before it started, or is not a run folder; start the run again without --resume"
            : $"{Path} is not a run folder (it does not exist)");
        if (config.FormatMismatch is { } why)
            throw new InvalidDataException($"cannot resume {Path}: {why}; start a new run instead (without --resume)");
        return config;
    }

    /// <summary>The last checkpoint's state.json, or null when the run has none yet; <see cref="InvalidDataException"/>
    /// (one line) when it breaks <see cref="TrainingStateCheck"/>'s rules.</summary>
    public TrainingState? ReadState()
    {
        if (!HasCheckpoint) return null;
        var state = JsonFiles.Read<TrainingState>(File(StateFile));
        if (TrainingStateCheck.Problem(state) is { } problem) throw InvalidState(problem);
        return state;
    }

    /// <summary>The state a resumed run continues from: <see cref="ReadState"/>, whose epochs the metrics record and whose
    /// checkpoint files exist; null when the run has no checkpoint yet.</summary>
    public TrainingState? ReadStateToResume()
    {
        if (ReadState() is not { } state) return null;
        var epochs = MetricsLog.Read(Path).Where(r => r.Kind == MetricRecord.EpochKind).Select(r => r.Epoch).ToList();
        if (TrainingStateCheck.ResumeProblem(state, epochs) is { } problem) throw InvalidState(problem);
        foreach (var checkpoint in new[] { state.ModelCheckpoint, state.OptimizerCheckpoint })
            if (checkpoint is not null && FileKinds.Of(File(checkpoint)) != FileKind.Regular)
                throw InvalidState($"it names {checkpoint}, which is missing or not a file");
        return state;
    }

    InvalidDataException InvalidState(string problem) => new($"{File(StateFile)} cannot be trusted: {problem}; it was edited or damaged: " +
                                                              "restore it, or start the run again (without --resume)");

    /// <summary>Refuses (<see cref="FormatException"/>, one line) to continue this run up to <paramref name="epochs"/>
    /// epochs in total when it already has more, or when it is complete and has exactly that many; and
    /// (<see cref="InvalidDataException"/>) when its state.json cannot be trusted (<see cref="ReadStateToResume"/>).</summary>
    public void CheckCanContinueTo(int epochs)
    {
        if (ReadStateToResume() is not { } state) return;
        if (epochs < state.Epoch)
            throw new FormatException($"--epochs {epochs}: {Path} already has {state.Epoch} epochs; give the new total (more than {state.Epoch}) to train further");
        if (epochs == state.Epoch && IsComplete)
            throw new FormatException($"{Path} is complete ({state.Epoch} epochs); pass --epochs N with N > {state.Epoch} to train it further");
    }

    FolderLock? claim;

    /// <summary>True while this object holds the folder (<see cref="Claim"/>).</summary>
    public bool IsClaimed => claim is not null;

    /// <summary>Takes the folder (created if missing) for this process as its only writer, until the result is disposed;
    /// <see cref="FolderInUseException"/> naming the holder when another writer has it. Temporary files left by a
    /// killed writer are deleted. A folder holding a symbolic link is refused (<see cref="InvalidDataException"/>, naming
    /// it) before anything is written: metrics are appended and checkpoints pruned in place, which through a link would
    /// change files outside the run, and replacing the link would drop what only its target holds.</summary>
    public IDisposable Claim()
    {
        if (claim is not null) throw new InvalidOperationException($"{Path} is already claimed by this object");
        SymbolicLinks.Refuse(Path, "run folder");
        claim = FolderLock.Acquire(Path, "run folder");
        AtomicFile.RemoveLeftovers(Path);
        return new Release(this);
    }

    sealed class Release(RunFolder folder) : IDisposable
    {
        public void Dispose()
        {
            folder.claim?.Dispose();
            folder.claim = null;
        }
    }

    /// <summary>Refuses a claimed folder that already holds a run (anything besides the lock's own files).</summary>
    public void CreateNew()
    {
        RequireClaim();
        if (RunEntries().Any())
            throw new IOException($"run folder {Path} already exists; pick another --name, or continue it with --resume {Path}");
    }

    /// <summary>Deletes everything in the claimed folder but the lock, to train the run again from scratch.</summary>
    public void Clear()
    {
        RequireClaim();
        foreach (var entry in Entries())
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else System.IO.File.Delete(entry);
    }

    IEnumerable<string> Entries() => Directory.EnumerateFileSystemEntries(Path).Where(e => !FolderLock.IsLockFile(e));

    /// <summary>What makes a folder hold a run: anything but the lock's files and the marker of a run interrupted before
    /// it wrote its config.json (which never started).</summary>
    IEnumerable<string> RunEntries() => System.IO.File.Exists(File(ConfigFile))
        ? Entries()
        : Entries().Where(e => System.IO.Path.GetFileName(e) != IncompleteMarker);

    void RequireClaim()
    {
        if (claim is null) throw new InvalidOperationException($"{Path} must be claimed first");
    }

    public void MarkIncomplete() => System.IO.File.WriteAllText(File(IncompleteMarker),
        $"This run has not finished (or was interrupted). Continue it with: torchloss train --resume {Path}\n");

    public void MarkComplete() => System.IO.File.Delete(File(IncompleteMarker));

    /// <summary>A default run name: head, model and a timestamp.</summary>
    public static string DefaultName(TrainConfig config, DateTime now) =>
        $"{config.Head}_{config.Model.Replace(':', '-').Replace(',', '-')}_{now:yyyyMMdd-HHmmss}";
}
