using System.Text.Json.Nodes;
using System.Text.Json;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;

namespace TorchLoss.Comparison;

/// <summary>
/// Which folders a study may write into: an empty or new one, or one that already holds a study (which is how a study
/// is continued, and how runs are reused by a study of other settings). Anything else, a run folder or a folder of the
/// user's own with a report.md or summary.json, is refused before anything is written: the study's report, summary and
/// plots would replace its files.
/// </summary>
public static class StudyFolder
{
    /// <summary>What a study writes at the top of its folder (besides the lock's files and temporary files).</summary>
    static readonly string[] StudyDirectories = [StudyPlan.TuningDirectory, StudyPlan.RunsDirectory, SlurmDirectory, StudyPlots.PlotsDirectory];
    static readonly string[] StudyFiles = [StudyReport.Markdown, StudyReport.Html, StudyReport.Json, StudyReport.Csv];

    /// <summary>Where `compare --slurm` writes its scripts.</summary>
    public const string SlurmDirectory = "slurm";

    /// <summary>Throws <see cref="InvalidDataException"/> (one line) unless <paramref name="folder"/> is missing, empty or a
    /// study's folder, or when it holds a symbolic link (which the study would write through).</summary>
    public static void RequireUsable(string folder)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            if (File.Exists(folder)) throw new InvalidDataException($"study folder {PrintableText.Escape(folder)} is a file, not a folder");
            return;
        }
        if (Problem(folder) is { } problem)
            throw new InvalidDataException($"study folder {PrintableText.Escape(folder)} is neither empty nor a study's ({problem}); " +
                                           "give compare --out an empty or new folder, or an earlier study's folder to continue it");
        SymbolicLinks.Refuse(folder, "study folder");
    }

    /// <summary>Why <paramref name="folder"/> is not a study's, or null when it is one (or empty).</summary>
    static string? Problem(string folder)
    {
        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Where(e => !FolderLock.IsLockFile(e.Name) && !e.Name.Contains(AtomicFile.TemporaryMarker, StringComparison.Ordinal))
            .OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        if (entries.Count == 0) return null;
        if (entries.Any(e => e.Name == Runs.RunFolder.ConfigFile)) return $"it holds {Runs.RunFolder.ConfigFile}: it is a training run's folder";
        foreach (var entry in entries)
        {
            var name = PrintableText.Escape(entry.Name);
            var expected = entry is DirectoryInfo ? StudyDirectories : StudyFiles;
            if (!expected.Contains(entry.Name)) return $"it holds {name}{(entry is DirectoryInfo ? "/" : "")}, which no study writes";
        }
        // Every study starts with its tuning runs (or, for Slurm, with its scripts).
        if (!entries.Any(e => e is DirectoryInfo && e.Name is StudyPlan.TuningDirectory or SlurmDirectory))
            return $"it holds {string.Join(", ", entries.Take(3).Select(e => PrintableText.Escape(e.Name)))} but no {StudyPlan.TuningDirectory}/ runs";
        var summary = Path.Combine(folder, StudyReport.Json);
        if (File.Exists(summary) && !IsStudySummary(summary)) return $"its {StudyReport.Json} is not a study's";
        return null;
    }

    /// <summary>A study's summary.json: an object with its "config" and "arms" (a run's has neither).</summary>
    static bool IsStudySummary(string path)
    {
        if (FileKinds.Of(path) != FileKind.Regular) return false;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject root && root["config"] is JsonObject && root["arms"] is JsonArray;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
