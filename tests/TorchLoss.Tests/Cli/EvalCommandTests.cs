using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`torchloss eval` on a run `train` wrote, in process. Serial: training seeds libtorch and sets its thread counts.</summary>
[Collection(SerialCollection.Name)]
public sealed class EvalCommandTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);
    readonly string run;

    public EvalCommandTests()
    {
        var trained = data.Run(TrainCommand.Create, "--name", "r", "--runs-dir", data.RunsDirectory, "--model", "mlp:16", "--lr", "0.3",
            "--momentum", "0.9", "--batch", "20", "--epochs", "3", "--validation-size", "100", "--seed", "5");
        Assert.True(trained.Code == ExitCodes.Ok, trained.Error);
        run = Path.Combine(data.RunsDirectory, "r");
    }

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    /// <summary>eval with the run's own dataset named (CliDataset appends --dataset rows): the run's own splits.</summary>
    (int Code, string Output, string Error) Eval(params string[] args) => data.Run(EvalCommand.Create, [run, .. args]);

    JsonNode Summary => JsonNode.Parse(File.ReadAllText(Path.Combine(run, RunFolder.SummaryFile)))!;

    [Fact]
    public void The_final_models_test_error_is_the_runs_own()
    {
        var result = Eval("--json");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal((double)Summary["final_test_error"]!, (double)json["error"]!, 12);
        Assert.Equal(100, (int)json["examples"]!);
        var confusion = json["confusion_matrix"]!.AsArray().Select(r => r!.AsArray().Select(n => (int)n!).ToArray()).ToArray();
        Assert.Equal(100, confusion.Sum(r => r.Sum()));
        Assert.Equal(1 - (double)json["error"]!, Enumerable.Range(0, confusion.Length).Sum(c => confusion[c][c]) / 100.0, 12);
        Assert.Equal(confusion.Select(r => r.Sum()), json["per_class"]!.AsArray().Select(c => (int)c!["examples"]!));
        var mlNet = json["ml_net"]!;
        Assert.Equal(1 - (double)json["error"]!, (double)mlNet["micro_accuracy"]!, 6);
        Assert.Equal(confusion.Select(r => r.Select(n => (long)n)), mlNet["confusion_matrix"]!.AsArray().Select(r => r!.AsArray().Select(n => (long)n!)));
    }

    [Fact]
    public void The_best_model_on_validation_is_the_runs_best_validation_error()
    {
        var result = data.Run(EvalCommand.Create, run, "--model", "best", "--split", "validation", "--json");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Equal((double)Summary["best_validation_error"]!, (double)JsonNode.Parse(result.Output)!["error"]!, 12);
    }

    [Fact]
    public void The_console_shows_per_class_accuracy_and_the_confusion_matrix()
    {
        var result = Eval();
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Contains("test split of rows: 100 examples", result.Output);
        Assert.Matches(@"\n0\s+row 0\s+25\s+\d+\.\d\d %\n", result.Output);
        Assert.Contains("confusion matrix (rows: true class, columns: predicted)", result.Output);
    }

    [Theory]
    [InlineData("--model 'latest': expected final or best", "--model", "latest")]
    [InlineData("--split 'train': expected test or validation", "--split", "train")]
    public void Mistakes_are_one_line(string message, params string[] args)
    {
        var result = Eval(args);
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public void A_folder_that_is_no_run_is_one_line()
    {
        var result = data.Run(EvalCommand.Create, data["nothing"]);
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Equal($"torchloss: error: {data["nothing"]} is not a run folder (it does not exist)", result.Error.Trim());
    }
}
