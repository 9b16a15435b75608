using System.CommandLine;
using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`torchloss runs` over run folders `train` wrote, nested as a study nests them. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class RunsCommandTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    void Train(string runsDir, string name, string head, int epochs)
    {
        var result = data.Run(TrainCommand.Create, "--name", name, "--runs-dir", runsDir, "--head", head, "--model", "linear",
            "--epochs", epochs.ToString(), "--validation-size", "100", "--lr", "0.3");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
    }

    static (int Code, string Output, string Error) Runs(params string[] args) => InProcessCli.Run(RunsCommand.Create, args);

    [Fact]
    public void Runs_at_any_depth_are_listed_with_what_their_files_say_and_sorted_as_asked()
    {
        Train(data.RunsDirectory, "ce", "softmax-ce", 2);
        Train(Path.Combine(data.RunsDirectory, "study", "runs", "arm"), "seed-1", "sigmoid-mse", 1);
        Directory.CreateDirectory(Path.Combine(data.RunsDirectory, "broken"));
        File.WriteAllText(Path.Combine(data.RunsDirectory, "broken", RunFolder.ConfigFile), "{");
        var json = Runs(data.RunsDirectory, "--json", "--sort", "epochs");
        Assert.True(json.Code == ExitCodes.Ok, json.Error);
        var entries = json.Output.Trim().Split('\n').Select(line => JsonNode.Parse(line)!).ToArray();
        Assert.Equal(["broken", Path.Combine("study", "runs", "arm", "seed-1"), "ce"], entries.Select(e => (string)e["name"]!));
        Assert.Equal(["unreadable", "completed", "completed"], entries.Select(e => (string)e["status"]!));
        var ce = entries[2];
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(data.RunsDirectory, "ce", RunFolder.SummaryFile)))!;
        Assert.Equal((double)summary["final_test_error"]!, (double)ce["test_error"]!);
        Assert.Equal(("softmax-ce", "linear", 2), ((string)ce["head"]!, (string)ce["model"]!, (int)ce["epochs"]!));
    }

    [Fact]
    public void An_interrupted_run_is_incomplete_and_a_table_is_printed()
    {
        Train(data.RunsDirectory, "r", "softmax-ce", 1);
        File.WriteAllText(Path.Combine(data.RunsDirectory, "r", RunFolder.IncompleteMarker), "");
        var result = Runs(data.RunsDirectory);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Matches(@"^run\s+head\s+model\s+dataset\s+status\s+epochs\s+best val. error\s+test error\s+time\n", result.Output);
        Assert.Matches(@"\nr\s+softmax-ce\s+linear\s+rows\s+incomplete\s+1\s+\d+\.\d\d %", result.Output);
    }

    [Fact]
    public void Mistakes_are_one_line()
    {
        Directory.CreateDirectory(data.RunsDirectory);
        Assert.Contains("--sort 'size': expected name, time", Runs(data.RunsDirectory, "--sort", "size").Error);
        Assert.Contains("does not exist", Runs(data["nowhere"]).Error);
    }
}
