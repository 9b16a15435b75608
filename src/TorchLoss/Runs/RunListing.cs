using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Runs;

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

/// <summary>What <see cref="RunListing.Find"/> found: the runs, the folders it skipped because their config.json is
/// another tool's, and the symbolic links to folders it did not follow.</summary>
public sealed record RunListingResult(IReadOnlyList<RunEntry> Runs, int ForeignFolders, int LinksNotFollowed);

/// <summary>Finds the run folders (folders holding a TorchLoss run's config.json) under a directory, at any depth (a
/// study's runs sit under runs/compare-PRESET/runs/ARM/seed-N), and reads what each one says about itself. Symbolic links
/// to folders are not followed (a link can point back into the tree, or out of it), so each folder is visited once.</summary>
public static class RunListing
{
    /// <summary>Statuses besides a summary's (completed, stopped_early, diverged).</summary>
    public const string Running = "running", Incomplete = "incomplete", OldFormat = "old format", Unreadable = "unreadable";

    public static RunListingResult Find(string directory)
    {
        var root = System.IO.Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root} does not exist");
        var entries = new List<RunEntry>();
        int foreign = 0, links = 0;
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            if (File.Exists(System.IO.Path.Combine(folder, RunFolder.ConfigFile)))
            {
                if (Read(root, new RunFolder(folder)) is { } entry)
                {
                    entries.Add(entry);
                    continue; // a run's own subfolders (checkpoints/, tensorboard/) hold no runs
                }
                foreign++; // another tool's folder: runs may still sit below it
            }
            List<DirectoryInfo> children;
            try { children = new DirectoryInfo(folder).EnumerateDirectories().OrderByDescending(d => d.Name, StringComparer.Ordinal).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var child in children)
                if (child.LinkTarget is not null) links++;
                else pending.Push(child.FullName);
        }
        return new RunListingResult(entries, foreign, links);
    }

    /// <summary>The entry of the run in <paramref name="run"/>, or null when its config.json is another tool's.</summary>
    static RunEntry? Read(string root, RunFolder run)
    {
        var name = System.IO.Path.GetRelativePath(root, run.Path);
        var modified = Directory.GetLastWriteTime(run.Path);
        RunConfigFile? file;
        try { file = IsRegular(run.File(RunFolder.ConfigFile)) ? run.ReadConfig() : null; }
        catch (NotARunConfigException) { return null; }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { file = null; }
        if (file is null) return new RunEntry(run.Path, name, "", "", "", Unreadable, 0, null, null, null, modified);
        var config = file.EffectiveConfig;
        RunSummary? summary = null;
        TrainingState? state = null;
        try
        {
            if (IsRegular(run.File(RunFolder.SummaryFile))) summary = JsonFiles.Read<RunSummary>(run.File(RunFolder.SummaryFile));
            if (IsRegular(run.File(RunFolder.StateFile))) state = run.ReadState();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { }
        var status = file.FormatMismatch is not null ? OldFormat
            : FolderLock.IsHeld(run.Path) ? Running
            : !run.IsComplete || summary is null ? Incomplete
            : JsonNamingPolicyName(summary.Status);
        return new RunEntry(run.Path, name, config.Head ?? "", config.Model ?? "", config.Dataset ?? "", status,
            summary?.Epochs ?? state?.Epoch ?? 0,
            summary?.BestValidationError ?? state?.BestValidationError,
            summary?.FinalTestError ?? state?.FinalTestError,
            summary?.TrainingSeconds ?? state?.TrainingSeconds,
            modified);
    }

    /// <summary>Only regular files are read: opening a FIFO would wait for a writer.</summary>
    static bool IsRegular(string path) => Runtime.FileKinds.Of(path) == Runtime.FileKind.Regular;

    static string JsonNamingPolicyName(RunStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}
