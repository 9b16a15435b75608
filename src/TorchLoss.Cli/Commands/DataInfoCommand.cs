using System.CommandLine;
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
        var command = new Command("info", "Show a dataset's example counts, pixel statistics and label histogram (fetches it if needed); " +
                                          "for a table, its columns and the class counts of its training, validation and test splits.")
        {
            dataset, validationSize,
        };
        foreach (var option in table.All()) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = TableCliOptions.Dataset(parse.GetValue(dataset)!);
            var split = table.ToOptions(parse, name, services.Manifest);
            var data = new DataOptions { ValidationSize = parse.GetValue(validationSize) };
            if (TableDatasets.TryParse(name, out var file))
            {
                PrintTable(name, file.Path, TableData.Load(file, split!, data, TorchSharp.torch.CPU), services.Output);
                return ExitCodes.Ok;
            }
            var store = services.Store(parse.GetValue(dataDirectory));
            var report = await DataFetchCommand.FetchAsync(store, name, services, cancellationToken);
            if (report.Outcomes.Any(o => o.Action != FetchAction.AlreadyPresent))
            {
                DataFetchCommand.Print(report, services.Output);
                services.Output.WriteLine();
            }
            if (report.Files.Spec.IsTable)
            {
                services.Output.WriteLine($"{report.Files.Spec.Name}: {report.Files.Spec.Description}");
                PrintTable(name, report.Files.TableFile.Path, report.Files.Load(data, TorchSharp.torch.CPU, split), services.Output);
            }
            else Print(report.Files, services.Output);
            return ExitCodes.Ok;
        });
        return command;
    }

    static void Print(DatasetFiles files, TextWriter output)
    {
        var train = files.LoadTrain();
        var test = files.LoadTest();
        output.WriteLine($"{files.Spec.Name}: {files.Spec.Description}");
        output.WriteLine($"files in {files.Directory}");
        output.WriteLine();
        output.WriteLine($"{"split",-6} {"examples",8}  {"image",-6} {"pixel mean",10} {"pixel std",10}");
        foreach (var (name, split) in new[] { ("train", train), ("test", test) })
        {
            var pixels = PixelStatistics.Of(split.Pixels);
            output.WriteLine($"{name,-6} {split.Count,8}  {$"{split.Height}x{split.Width}",-6} {pixels.Mean,10:F4} {pixels.Std,10:F4}");
        }
        output.WriteLine();
        output.WriteLine($"{"label",-5}  {"class",-12} {"train",6} {"test",6}");
        var trainCounts = train.LabelCounts();
        var testCounts = test.LabelCounts();
        for (var label = 0; label < trainCounts.Length; label++)
            output.WriteLine($"{label,-5}  {files.Spec.Classes[label],-12} {trainCounts[label],6} {testCounts[label],6}");
    }

    static void PrintTable(string dataset, string path, ClassificationData data, TextWriter output)
    {
        using (data)
        {
            var table = data.TableProvenance!;
            output.WriteLine($"file {path}{(table.TestFile is { } test ? $", test file {test}" : "")}");
            var names = table.FeatureColumns;
            output.WriteLine($"label column: {table.LabelColumn}; {names.Count} features: " +
                             string.Join(", ", names.Take(8)) + (names.Count > 8 ? $", ... {names[^1]}" : ""));
            output.WriteLine(table.TestFile is null
                ? $"splits: stratified, split seed {table.SplitSeed}; features {(data.Standardized ? "standardised on the training split" : "as in the file")}"
                : $"splits: the test file; validation stratified, split seed {table.SplitSeed}; features {(data.Standardized ? "standardised on the training split" : "as in the file")}");
            output.WriteLine();
            var counts = new[] { data.Train, data.Validation, data.Test }.Select(Counts(data.ClassCount)).ToArray();
            var width = Math.Max(5, data.ClassNames.Max(n => n.Length));
            output.WriteLine($"{"class",-5}  {"name".PadRight(width)} {"label",8} {"train",6} {"valid",6} {"test",6}");
            for (var c = 0; c < data.ClassCount; c++)
                output.WriteLine($"{c,-5}  {data.ClassNames[c].PadRight(width)} {table.LabelValues[c],8} {counts[0][c],6} {counts[1][c],6} {counts[2][c],6}");
            output.WriteLine($"{"all",-5}  {"".PadRight(width)} {"",8} {data.Train.Count,6} {data.Validation.Count,6} {data.Test.Count,6}");
        }
    }

    static Func<TensorSplit, int[]> Counts(int classes) => split =>
    {
        var counts = new int[classes];
        if (split.Count == 0) return counts;
        using var labels = split.Y.cpu();
        foreach (var label in labels.data<long>()) counts[label]++;
        return counts;
    };
}
