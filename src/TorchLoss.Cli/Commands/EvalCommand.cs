using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TorchLoss.Data.Tables;
using TorchLoss.Data;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss eval RUN`: a run's model scored on its test or validation split, or on other data with the same
/// inputs and classes: loss, error, per-class accuracy and the confusion matrix.</summary>
public static class EvalCommand
{
    /// <summary>Confusion matrices with more classes than this are left to --json.</summary>
    const int MaxPrintedClasses = 20;

    public static Command Create(DataCommandServices? services = null)
    {
        services ??= DataCommandServices.Default();
        var runArgument = new Argument<string>("run") { Description = "A run folder (runs/NAME), as train writes it." };
        var split = new Option<string>("--split") { Description = "test (default) or validation: the run's own split.", DefaultValueFactory = _ => "test" };
        var model = new Option<string>("--model") { Description = "final (model.params, default) or best (best.params, the best validation epoch's).", DefaultValueFactory = _ => "final" };
        var dataset = new Option<string?>("--dataset")
        {
            Description = "Score on other data instead: an image dataset's test split, or every row of a table file (csv:PATH, tsv:PATH) read " +
                          "with the run's columns (by header name when both files have one) and standardised with the run's own transform " +
                          $"({TableLimits.Summary}).",
        };
        var dataDir = PathOptions.OptionalPath("--data-dir", "Dataset directory (default: the run's).");
        var device = new Option<string?>("--device") { Description = "cpu, cuda or cuda:N (default: the run's)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (snake_case, as the run's files)." };
        split.With("test", "validation");
        model.With("final", "best");
        device.With(Completions.Devices);
        var command = new Command("eval", "Score a run's model: loss, error, per-class accuracy and the confusion matrix of its test or validation split, or of other data.")
        {
            runArgument, split, model, dataset, dataDir, device, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var run = new RunFolder(parse.GetValue(runArgument)!);
            var best = ParseModel(parse.GetValue(model)!);
            var which = ParseSplit(parse.GetValue(split)!);
            var file = RunEvaluation.ReadRun(run, best);
            var config = file.EffectiveConfig with
            {
                Device = parse.GetValue(device) ?? file.EffectiveConfig.Device,
                DataDirectory = parse.GetValue(dataDir) ?? file.EffectiveConfig.DataDirectory,
            };
            // The run's own dataset named again is no other data: its splits are the run's.
            var other = parse.GetValue(dataset) is { } d && TableCliOptions.Dataset(d) is var named && named != config.Dataset ? named : null;
            if (other is not null && which != EvaluationSplit.Test)
                throw new UserException("--split validation scores the run's own validation split; with --dataset the other data's test split is scored");
            using var data = Load(run, config, file.Environment.Data, other, services.Store(config.DataDirectory), cancellationToken);
            var result = RunEvaluation.Evaluate(run, file, data, which, best, other ?? config.Dataset);
            if (parse.GetValue(json)) services.Output.WriteLine(JsonSerializer.Serialize(result, JsonFiles.Options).ReplaceLineEndings(" "));
            else Print(result, file.EffectiveConfig, other is not null && TableDatasets.IsFile(other), services.Output);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    static ClassificationData Load(RunFolder run, TrainConfig config, RunData? trained, string? other, DatasetStore store, CancellationToken cancellationToken)
    {
        if (other is null)
        {
            var own = TrainingData.Load(config, store, cancellationToken: cancellationToken);
            if (TableProvenance.Change(trained?.Table, own.TableProvenance) is not { } change) return own;
            own.Dispose();
            throw new UserException($"cannot evaluate {run.Path} on its own splits: {change}, so they are not the ones it was trained with");
        }
        if (TableDatasets.TryParse(other, out var table))
        {
            if (trained?.Table is not { } trainedOn)
                throw new UserException($"the run was not trained on a table (or predates recording one), so {other} cannot be read as its data");
            var device = Runtime.Devices.Parse(config.Device);
            Runtime.Devices.EnsureAvailable(device);
            var format = (config.Table ?? new TableOptions()) with { TestFile = null };
            return TableData.ForModel(table, format, trainedOn, trained.Classes, trained.Standardization, device);
        }
        var data = TrainingData.Load(config with { Dataset = other, Table = null, TrainLimit = null }, store, cancellationToken: cancellationToken);
        if (trained is not null && (data.Features != trained.Features || data.ClassCount != trained.Classes.Count))
        {
            data.Dispose();
            throw new UserException($"the run's model takes {trained.Features} inputs and {trained.Classes.Count} classes; {other} has {data.Features} and {data.ClassCount}");
        }
        return data;
    }

    static void Print(EvaluationResult result, TrainConfig config, bool everyRow, TextWriter output)
    {
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine($"{result.Run}: {config.Head}, {config.Model}; {Path.GetFileName(result.ModelFile)}");
        var what = everyRow ? "every row" : $"{result.Split} split";
        output.WriteLine(string.Create(invariant, $"{what} of {result.Dataset}: {result.Examples} examples, loss {result.Loss:G4}, error {result.Error:P2}"));
        var ml = result.MlNet;
        output.WriteLine(string.Create(invariant,
            $"ML.NET on the same predictions: micro accuracy {ml.MicroAccuracy:P2}, macro accuracy {ml.MacroAccuracy:P2}, log-loss {ml.LogLoss:G4} (reduction {ml.LogLossReduction:G3})"));
        output.WriteLine();
        var width = Math.Max(5, result.PerClass.Max(c => c.Name.Length));
        output.WriteLine($"{"class",-5}  {"name".PadRight(width)} {"examples",8} {"accuracy",9}");
        foreach (var c in result.PerClass)
            output.WriteLine(string.Create(invariant, $"{c.Class,-5}  {c.Name.PadRight(width)} {c.Examples,8} {(c.Examples == 0 ? "-" : c.Accuracy.ToString("P2", invariant)),9}"));
        output.WriteLine();
        if (result.PerClass.Count > MaxPrintedClasses)
        {
            output.WriteLine($"confusion matrix: {result.PerClass.Count} classes, see --json");
            return;
        }
        var cell = Math.Max(result.ConfusionMatrix.SelectMany(r => r).Max().ToString(invariant).Length, result.PerClass.Count.ToString(invariant).Length) + 1;
        output.WriteLine("confusion matrix (rows: true class, columns: predicted)");
        output.WriteLine("     " + string.Concat(result.PerClass.Select(c => c.Class.ToString(invariant).PadLeft(cell))));
        foreach (var c in result.PerClass)
            output.WriteLine($"{c.Class,-5}" + string.Concat(result.ConfusionMatrix[c.Class].Select(n => n.ToString(invariant).PadLeft(cell))));
    }

    static bool ParseModel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "final" => false,
        "best" => true,
        _ => throw new UserException($"--model '{text}': expected final or best"),
    };

    static EvaluationSplit ParseSplit(string text) => text.Trim().ToLowerInvariant() switch
    {
        "test" => EvaluationSplit.Test,
        "validation" => EvaluationSplit.Validation,
        _ => throw new UserException($"--split '{text}': expected test or validation"),
    };
}
