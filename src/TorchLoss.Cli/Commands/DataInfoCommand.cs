using System.CommandLine;
using System.Text.Json;
using TorchLoss.Reporting;
using TorchLoss.Data;
using TorchLoss.Data.Tables;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss data info [dataset]`: example counts, image size, pixel mean/std and label histogram of train and
/// test (fetching first if needed); for a table, its columns and the class counts of the splits training would use.</summary>
public static class DataInfoCommand
{
    public static Command Create(DataCommandServices services, Option<string?> dataDirectory)
    {
        var dataset = DataCommand.DatasetArgument(services, files: true);
        var table = new TableCliOptions();
        var validationSize = NumericOptions.OptionalInt("--validation-size", "Table: validation examples (default: 20 % of the training rows).", min: 0);
        var json = new Option<bool>("--json") { Description = "Print the description as one JSON object (snake_case keys), for scripts." };
        var command = new Command("info", "Show a dataset's example counts, pixel statistics and label histogram (fetches it if needed); " +
                                          "for a table, its columns and the class counts of its training, validation and test splits.")
        {
            dataset, validationSize, json,
        };
        foreach (var option in table.All()) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = TableCliOptions.Dataset(parse.GetValue(dataset)!);
            var split = table.ToOptions(parse, name, services.Manifest);
            var data = new DataOptions { ValidationSize = parse.GetValue(validationSize) };
            var asJson = parse.GetValue(json);
            if (TableDatasets.TryParse(name, out var file))
            {
                using var loaded = TableData.Load(file, split!, data, TorchSharp.torch.CPU);
                var info = TableDatasetInfo.Of(name, null, file.Path, loaded);
                if (asJson) services.Output.WriteLine(JsonSerializer.Serialize(info, JsonFiles.Compact));
                else PrintTable(info, services.Output);
                return ExitCodes.Ok;
            }
            var store = services.Store(parse.GetValue(dataDirectory));
            var report = await DataFetchCommand.FetchAsync(store, name, services, cancellationToken);
            if (!asJson && report.Outcomes.Any(o => o.Action != FetchAction.AlreadyPresent))
            {
                DataFetchCommand.Print(report, services.Output);
                services.Output.WriteLine();
            }
            if (report.Files.Spec.IsTable)
            {
                using var loaded = report.Files.Load(data, TorchSharp.torch.CPU, split);
                var info = TableDatasetInfo.Of(name, report.Files.Spec.Description, report.Files.TableFile.Path, loaded);
                if (asJson)
                {
                    services.Output.WriteLine(JsonSerializer.Serialize(info, JsonFiles.Compact));
                    return ExitCodes.Ok;
                }
                services.Output.WriteLine($"{report.Files.Spec.Name}: {report.Files.Spec.Description}");
                PrintTable(info, services.Output);
            }
            else
            {
                var info = ImageDatasetInfo.Of(report.Files);
                if (asJson) services.Output.WriteLine(JsonSerializer.Serialize(info, JsonFiles.Compact));
                else Print(info, services.Output);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    static void Print(ImageDatasetInfo info, TextWriter output)
    {
        output.WriteLine($"{info.Dataset}: {info.Description}");
        output.WriteLine($"files in {info.Directory}");
        output.WriteLine();
        output.WriteLine($"{"split",-6} {"examples",8}  {"image",-6} {"pixel mean",10} {"pixel std",10}");
        foreach (var split in info.Splits)
            output.WriteLine($"{split.Split,-6} {split.Examples,8}  {$"{split.Height}x{split.Width}",-6} {split.PixelMean,10:F4} {split.PixelStd,10:F4}");
        output.WriteLine();
        output.WriteLine($"{"label",-5}  {"class",-12} {"train",6} {"test",6}");
        foreach (var c in info.Classes) output.WriteLine($"{c.Label,-5}  {c.Class,-12} {c.Train,6} {c.Test,6}");
    }

    static void PrintTable(TableDatasetInfo info, TextWriter output)
    {
        output.WriteLine($"file {info.File}{(info.TestFile is { } test ? $", test file {test}" : "")}");
        var names = info.FeatureColumns;
        output.WriteLine($"label column: {info.LabelColumn}; {names.Count} features: " +
                         string.Join(", ", names.Take(8)) + (names.Count > 8 ? $", ... {names[^1]}" : ""));
        var features = info.Standardized ? "standardised on the training split" : "as in the file";
        output.WriteLine(info.TestFile is null
            ? $"splits: stratified, split seed {info.SplitSeed}; features {features}"
            : $"splits: the test file; validation stratified, split seed {info.SplitSeed}; features {features}");
        output.WriteLine();
        var width = Math.Max(5, info.Classes.Max(c => c.Name.Length));
        output.WriteLine($"{"class",-5}  {"name".PadRight(width)} {"label",8} {"train",6} {"valid",6} {"test",6}");
        foreach (var c in info.Classes)
            output.WriteLine($"{c.Class,-5}  {c.Name.PadRight(width)} {c.Label,8} {c.Train,6} {c.Validation,6} {c.Test,6}");
        output.WriteLine($"{"all",-5}  {"".PadRight(width)} {"",8} {info.Train,6} {info.Validation,6} {info.Test,6}");
    }
}
