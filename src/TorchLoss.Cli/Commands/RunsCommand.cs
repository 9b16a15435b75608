using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss runs [DIR]`: the run folders under DIR with their head, model, status, epochs, errors and time.</summary>
public static class RunsCommand
{
    static readonly string[] SortKeys = ["name", "time", "test-error", "validation-error", "epochs", "modified"];

    public static Command Create(TextWriter? output = null)
    {
        var directory = new Argument<string>("dir") { Description = "Where to look (default: runs); run folders are found at any depth. Symbolic links to folders are not followed and folders whose config.json is another tool's are skipped; a line below the table counts both.", DefaultValueFactory = _ => "runs" };
        var sort = new Option<string>("--sort")
        {
            Description = $"Order by {string.Join(", ", SortKeys)} (default name; errors and time ascending, runs without one last).",
            DefaultValueFactory = _ => "name",
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per run (snake_case; errors as fractions, seconds)." };
        sort.With(SortKeys);
        var command = new Command("runs", "List the run folders under a directory: name, head, model, dataset, status, epochs, best validation error, test error, time.")
        {
            directory, sort, json,
        };
        command.SetAction(parse =>
        {
            var writer = output ?? Console.Out;
            var found = RunListing.Find(parse.GetValue(directory)!);
            var entries = Sorted(found.Runs, parse.GetValue(sort)!);
            if (parse.GetValue(json))
            {
                foreach (var entry in entries) writer.WriteLine(JsonSerializer.Serialize(entry, JsonFiles.Compact));
                return ExitCodes.Ok;
            }
            if (entries.Count == 0)
                writer.WriteLine($"no run folders under {PrintableText.Escape(Path.GetFullPath(parse.GetValue(directory)!))}");
            else
                ConsoleTable.Write(writer, ["run", "head", "model", "dataset", "status", "epochs", "best val. error", "test error", "time"],
                    entries.Select(e => (IReadOnlyList<string>)
                    [
                        .. new[] { e.Name, e.Head, e.Model, ShortDataset(e.Dataset), e.Status }.Select(PrintableText.Escape),
                        e.Epochs.ToString(CultureInfo.InvariantCulture), Percent(e.BestValidationError), Percent(e.TestError), Duration(e.TrainingSeconds),
                    ]).ToList(), textColumns: 5);
            if (Skipped(found) is { } skipped) writer.WriteLine(skipped);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"skipped 2 folders whose config.json is not a TorchLoss run's and 3 symbolic links to folders (not followed)",
    /// or null when nothing was skipped.</summary>
    static string? Skipped(RunListingResult found)
    {
        var parts = new List<string>();
        if (found.ForeignFolders > 0)
            parts.Add($"{Count(found.ForeignFolders, "folder")} whose {RunFolder.ConfigFile} is not a TorchLoss run's");
        if (found.LinksNotFollowed > 0)
            parts.Add($"{Count(found.LinksNotFollowed, "symbolic link")} to {(found.LinksNotFollowed == 1 ? "a folder" : "folders")} (not followed)");
        return parts.Count == 0 ? null : $"skipped {string.Join(" and ", parts)}";
    }

    static string Count(int n, string noun) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";

    static IReadOnlyList<RunEntry> Sorted(IReadOnlyList<RunEntry> entries, string key) => key.Trim().ToLowerInvariant() switch
    {
        "name" => entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList(),
        "time" => entries.OrderBy(e => e.TrainingSeconds ?? double.MaxValue).ToList(),
        "test-error" => entries.OrderBy(e => e.TestError ?? double.MaxValue).ToList(),
        "validation-error" => entries.OrderBy(e => e.BestValidationError ?? double.MaxValue).ToList(),
        "epochs" => entries.OrderBy(e => e.Epochs).ToList(),
        "modified" => entries.OrderBy(e => e.Modified).ToList(),
        _ => throw new UserException($"--sort '{key}': expected {string.Join(", ", SortKeys)}"),
    };

    static string ShortDataset(string dataset) =>
        Data.Tables.TableDatasets.TryParse(dataset, out var file) ? $"{file.Format}:{Path.GetFileName(file.Path)}" : dataset;

    static string Percent(double? value) => value is { } v ? v.ToString("P2", CultureInfo.InvariantCulture) : "-";

    static string Duration(double? seconds) => seconds switch
    {
        null => "-",
        < 60 => $"{seconds.Value.ToString("F1", CultureInfo.InvariantCulture)} s",
        < 3600 => $"{(int)(seconds.Value / 60)} min {(int)(seconds.Value % 60)} s",
        _ => $"{(int)(seconds.Value / 3600)} h {(int)(seconds.Value % 3600 / 60)} min",
    };
}
