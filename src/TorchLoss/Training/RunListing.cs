using TorchLoss.Reporting;

namespace TorchLoss.Training;

/// <summary>One run folder as `torchloss runs` lists it. Errors are fractions (0.0229 is 2.29 %); seconds are the run's
/// training time summed over its epochs.</summary>
public sealed record RunEntry(
    string Path,
    string Name,
    string Head,
    string Model,
    string Dataset,
    string Status,
    int Epochs,
    double? BestValidationError,
    double? TestError,
    double? TrainingSeconds,
    DateTime Modified);

/// <summary>Finds the run folders (folders holding a config.json) under a directory, at any depth up to a limit (a study's
/// runs sit under runs/compare-PRESET/runs/ARM/seed-N), and reads what each one says about itself.</summary>
public static class RunListing
{
    public const int MaxDepth = 6;

    /// <summary>Statuses besides a summary's (completed, stopped_early, diverged).</summary>
    public const string Running = "running", Incomplete = "incomplete", OldFormat = "old format", Unreadable = "unreadable";

    public static IReadOnlyList<RunEntry> Find(string directory)
    {
        var root = System.IO.Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root} does not exist");
        var entries = new List<RunEntry>();
        Walk(root, root, 0, entries);
        return entries;
    }

    static void Walk(string root, string folder, int depth, List<RunEntry> entries)
    {
        if (File.Exists(System.IO.Path.Combine(folder, RunFolder.ConfigFile)))
        {
            entries.Add(Read(root, new RunFolder(folder)));
            return; // a run's own subfolders (checkpoints/, tensorboard/) hold no runs
        }
        if (depth >= MaxDepth) return;
        IEnumerable<string> children;
        try { children = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var child in children) Walk(root, child, depth + 1, entries);
    }

    static RunEntry Read(string root, RunFolder run)
    {
        var name = System.IO.Path.GetRelativePath(root, run.Path);
        var modified = Directory.GetLastWriteTime(run.Path);
        RunConfigFile? file;
        try { file = run.ReadConfig(); }
        catch (InvalidDataException) { file = null; }
        if (file is null) return new RunEntry(run.Path, name, "", "", "", Unreadable, 0, null, null, null, modified);
        var config = file.EffectiveConfig;
        RunSummary? summary = null;
        TrainingState? state = null;
        try
        {
            if (File.Exists(run.File(RunFolder.SummaryFile))) summary = JsonFiles.Read<RunSummary>(run.File(RunFolder.SummaryFile));
            state = run.ReadState();
        }
        catch (InvalidDataException) { }
        var status = file.FormatMismatch is not null ? OldFormat
            : FolderLock.IsHeld(run.Path) ? Running
            : !run.IsComplete || summary is null ? Incomplete
            : JsonNamingPolicyName(summary.Status);
        return new RunEntry(run.Path, name, config.Head, config.Model, config.Dataset, status,
            summary?.Epochs ?? state?.Epoch ?? 0,
            summary?.BestValidationError ?? state?.BestValidationError,
            summary?.FinalTestError ?? state?.FinalTestError,
            summary?.TrainingSeconds ?? state?.TrainingSeconds,
            modified);
    }

    static string JsonNamingPolicyName(RunStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}
