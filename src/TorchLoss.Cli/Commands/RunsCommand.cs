using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss runs [DIR]`: the run folders under DIR with their head, model, status, epochs, errors and time.</summary>
public static class RunsCommand
{
    static readonly string[] SortKeys = ["name", "time", "test-error", "validation-error", "epochs", "modified"];

    public static Command Create(TextWriter? output = null)
    {
        var directory = new Argument<string>("dir") { Description = "Where to look (default: runs); run folders are found at any depth.", DefaultValueFactory = _ => "runs" };
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
            var entries = Sorted(RunListing.Find(parse.GetValue(directory)!), parse.GetValue(sort)!);
            if (parse.GetValue(json))
            {
                foreach (var entry in entries) writer.WriteLine(JsonSerializer.Serialize(entry, JsonFiles.Compact));
                return ExitCodes.Ok;
            }
            if (entries.Count == 0)
            {
                writer.WriteLine($"no run folders under {Path.GetFullPath(parse.GetValue(directory)!)}");
                return ExitCodes.Ok;
            }
            ConsoleTable.Write(writer, ["run", "head", "model", "dataset", "status", "epochs", "best val. error", "test error", "time"],
                entries.Select(e => (IReadOnlyList<string>)
                [
                    e.Name, e.Head, e.Model, ShortDataset(e.Dataset), e.Status, e.Epochs.ToString(CultureInfo.InvariantCulture),
                    Percent(e.BestValidationError), Percent(e.TestError), Duration(e.TrainingSeconds),
                ]).ToList(), textColumns: 5);
            return ExitCodes.Ok;
        });
        return command;
    }

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
