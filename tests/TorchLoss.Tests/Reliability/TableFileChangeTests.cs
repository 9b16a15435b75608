using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Tests.Data.Tables;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>A run records the SHA-256 of its table files: `train --resume` and `eval` refuse a file that changed since,
/// `compare` trains its runs again saying why, and runs recorded before hashes work as they did. Serial: training seeds
/// libtorch and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public sealed class TableFileChangeTests : IDisposable
{
    readonly TempDirectory temp = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public TableFileChangeTests() => File.WriteAllText(Csv, TableFiles.Animals(rowsPerClass: 20));

    public void Dispose()
    {
        threads.Apply();
        temp.Dispose();
    }

    string Csv => temp["animals.csv"];

    string Run => Path.Combine(temp["runs"], "r");

    string ConfigFile => Path.Combine(Run, RunFolder.ConfigFile);

    void Train()
    {
        var trained = InProcessCli.Run(TrainCommand.Create, "--dataset", $"csv:{Csv}", "--model", "mlp:8", "--lr", "0.3", "--batch", "16",
            "--epochs", "2", "--runs-dir", temp["runs"], "--name", "r");
        Assert.True(trained.Code == ExitCodes.Ok, trained.Error);
    }

    /// <summary>One more row: the file's contents change, its name and columns do not.</summary>
    void ChangeTable() => File.AppendAllText(Csv, "0.5,0.5,cat\n");

    static void AssertOneLine(string message, (int Code, string Output, string Error) result)
    {
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Equal($"torchloss: error: {message}", result.Error.TrimEnd());
    }

    [Fact]
    public void Resume_and_eval_refuse_a_table_that_changed_naming_it_and_both_hashes_and_change_nothing()
    {
        Train();
        var then = FileCheck.Sha256Hex(Csv);
        var recorded = JsonNode.Parse(File.ReadAllText(ConfigFile))!["environment"]!["data"]!["table"]!;
        Assert.Equal(then, (string?)recorded["file_sha256"]);
        var files = Directory.GetFiles(Run).ToDictionary(f => f, File.ReadAllBytes);
        ChangeTable();
        var change = $"{Csv} changed since the run was trained (sha256 {then[..12]} then, {FileCheck.Sha256Hex(Csv)[..12]} now)";

        AssertOneLine($"cannot resume {Run}: {change}; start a new run to train on it",
            InProcessCli.Run(TrainCommand.Create, "--resume", Run, "--epochs", "3"));
        AssertOneLine($"cannot evaluate {Run} on its own splits: {change}, so they are not the ones it was trained with",
            InProcessCli.Run(EvalCommand.Create, Run));
        foreach (var (file, bytes) in files) Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_run_recorded_before_hashes_resumes_and_evaluates_as_it_did_and_records_one_then()
    {
        Train();
        var config = JsonNode.Parse(File.ReadAllText(ConfigFile))!;
        var table = config["environment"]!["data"]!["table"]!.AsObject();
        Assert.True(table.Remove("file_sha256") && table.Remove("header"));
        File.WriteAllText(ConfigFile, config.ToJsonString());
        ChangeTable();

        var evaluated = InProcessCli.Run(EvalCommand.Create, Run);
        Assert.True(evaluated.Code == ExitCodes.Ok, evaluated.Error);
        var resumed = InProcessCli.Run(TrainCommand.Create, "--resume", Run, "--epochs", "3");
        Assert.True(resumed.Code == ExitCodes.Ok, resumed.Error);
        Assert.Equal(FileCheck.Sha256Hex(Csv), (string?)JsonNode.Parse(File.ReadAllText(ConfigFile))!["environment"]!["data"]!["table"]!["file_sha256"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compare_trains_the_runs_of_a_changed_table_again_saying_why(bool sharded)
    {
        string[] shard = sharded ? ["--shard", "1/1"] : [];
        (int Code, string Output, string Error) Compare()
        {
            var result = InProcessCli.Run(CompareCommand.Create, ["--quick", "--dataset", $"csv:{Csv}", "--heads", "softmax-ce", "--seeds", "1",
                "--epochs", "2", "--fine-tune-epochs", "0", "--lr-grid", "0.3", "--tuning-epochs", "1", "--init-scales", "1", "--out", temp["study"], .. shard]);
            Assert.True(result.Code == ExitCodes.Ok, result.Error);
            return result;
        }
        static string[] Lines(string output, string containing) => output.Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal)).ToArray();

        var first = Compare();
        var runs = Lines(first.Output, "] trained ").Length;
        Assert.True(runs >= 2, first.Output);
        var then = FileCheck.Sha256Hex(Csv);
        ChangeTable();
        var again = Compare();
        var redone = Lines(again.Output, "] redoing ");
        Assert.Equal(runs, redone.Length);
        Assert.All(redone, line => Assert.EndsWith($": {Csv} changed since the run was trained (sha256 {then[..12]} then, {FileCheck.Sha256Hex(Csv)[..12]} now)", line.TrimEnd()));
        Assert.Empty(Lines(again.Output, "] reused "));
        var third = Compare(); // the same data again: nothing is trained
        Assert.Empty(Lines(third.Output, "] trained "));
        Assert.Empty(Lines(third.Output, "] redoing "));
    }
}
