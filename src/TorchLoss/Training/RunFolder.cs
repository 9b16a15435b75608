using TorchLoss.Reporting;

namespace TorchLoss.Training;

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

    /// <summary>The run's config.json, or null when the folder has none.</summary>
    public RunConfigFile? ReadConfig() =>
        System.IO.File.Exists(File(ConfigFile)) ? JsonFiles.Read<RunConfigFile>(File(ConfigFile)) : null;

    /// <summary>The config.json of a run that can be continued; <see cref="InvalidDataException"/> (one line) when there
    /// is none, or when the run is of another format (<see cref="RunConfigFile.FormatMismatch"/>).</summary>
    public RunConfigFile ReadConfigToResume()
    {
        var config = ReadConfig() ?? throw new InvalidDataException($"{Path} is not a run folder ({ConfigFile} is missing)");
        if (config.FormatMismatch is { } why)
            throw new InvalidDataException($"cannot resume {Path}: {why}; start a new run instead (without --resume)");
        return config;
    }

    /// <summary>Creates the folder for a new run; refuses a folder that already holds a run.</summary>
    public void CreateNew()
    {
        if (Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
            throw new IOException($"run folder {Path} already exists; pick another --name, or continue it with --resume {Path}");
        try { Directory.CreateDirectory(Path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create run folder {Path}: {e.Message}; choose another --runs-dir");
        }
    }

    public void MarkIncomplete() => System.IO.File.WriteAllText(File(IncompleteMarker),
        $"This run has not finished (or was interrupted). Continue it with: torchloss train --resume {Path}\n");

    public void MarkComplete() => System.IO.File.Delete(File(IncompleteMarker));

    /// <summary>A default run name: head, model and a timestamp.</summary>
    public static string DefaultName(TrainConfig config, DateTime now) =>
        $"{config.Head}_{config.Model.Replace(':', '-').Replace(',', '-')}_{now:yyyyMMdd-HHmmss}";
}
