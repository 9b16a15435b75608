using System.CommandLine;
using TorchLoss.Data;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss data info [dataset]`: example counts, image size, pixel mean/std and label histogram of train and test (fetching first if needed).</summary>
public static class DataInfoCommand
{
    public static Command Create(DataCommandServices services, Option<string?> dataDirectory)
    {
        var dataset = DataCommand.DatasetArgument(services);
        var command = new Command("info", "Show a dataset's example counts, pixel statistics and label histogram (fetches it if needed).")
        {
            dataset,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = services.Store(parse.GetValue(dataDirectory));
            var report = await DataFetchCommand.FetchAsync(store, parse.GetValue(dataset)!, services, cancellationToken);
            if (report.Outcomes.Any(o => o.Action != FetchAction.AlreadyPresent))
            {
                DataFetchCommand.Print(report, services.Output);
                services.Output.WriteLine();
            }
            Print(report.Files, services.Output);
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
}
