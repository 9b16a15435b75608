using System.Text.Json.Nodes;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`--config FILE` for train and compare: JSON or YAML settings under the options given beside them; a run's
/// config.json reproduces the run. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class SettingsFileTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    (int Code, string Output, string Error) Train(params string[] args) => data.Run(TrainCommand.Create, ["--runs-dir", data.RunsDirectory, .. args]);

    JsonNode File(string run, string name) => JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(data.RunsDirectory, run, name)))!;

    string Write(string name, string text)
    {
        System.IO.File.WriteAllText(data[name], text);
        return data[name];
    }

    [Fact]
    public void A_runs_config_json_reproduces_the_run()
    {
        var first = Train("--name", "a", "--head", "softmax-mse", "--model", "mlp:8", "--lr", "0.3", "--momentum", "0.9", "--epochs", "2",
            "--validation-size", "100", "--seed", "4");
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        var again = Train("--name", "b", "--config", Path.Combine(data.RunsDirectory, "a", RunFolder.ConfigFile));
        Assert.True(again.Code == ExitCodes.Ok, again.Error);
        Assert.Equal(File("a", RunFolder.ConfigFile)["config"]!.ToJsonString(), File("b", RunFolder.ConfigFile)["config"]!.ToJsonString());
        Assert.Equal((double)File("a", RunFolder.SummaryFile)["final_test_error"]!, (double)File("b", RunFolder.SummaryFile)["final_test_error"]!);
        Assert.Equal((double)File("a", RunFolder.SummaryFile)["final_train_loss"]!, (double)File("b", RunFolder.SummaryFile)["final_train_loss"]!);
        var resumed = data.Run(TrainCommand.Create, "--resume", Path.Combine(data.RunsDirectory, "a"), "--epochs", "3",
            "--config", Path.Combine(data.RunsDirectory, "a", RunFolder.ConfigFile));
        Assert.Equal(ExitCodes.UsageError, resumed.Code);
        Assert.Contains("--config cannot be combined with --resume", resumed.Error);
    }

    [Fact]
    public void Yaml_settings_apply_under_the_options_given()
    {
        var yaml = Write("s.yaml", "head: sigmoid-mse\nmodel: linear\nlearning_rate: 0.3\nepochs: 5\nvalidation_size: 100\n");
        var result = Train("--name", "y", "--config", yaml, "--epochs", "1");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var config = File("y", RunFolder.ConfigFile)["config"]!;
        Assert.Equal(("sigmoid-mse", "linear", 0.3, 1), ((string)config["head"]!, (string)config["model"]!, (double)config["learning_rate"]!, (int)config["epochs"]!));
    }

    [Theory]
    [InlineData("s.yaml", "lr: 0.3\n", "at 'lr': unknown setting")]
    [InlineData("s.json", "{ \"epochs\": \"many\" }", "at 'epochs': a value of the wrong kind")]
    [InlineData("s.json", "{ \"epochs\": ", "not valid JSON")]
    [InlineData("s.yaml", "- 1\n- 2\n", "expected settings (key: value pairs) at the top level")]
    public void A_bad_settings_file_is_one_line_naming_the_setting(string name, string text, string problem)
    {
        var path = Write(name, text);
        var result = Train("--config", path);
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Contains($"--config {path}", result.Error);
        Assert.Contains(problem, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public void Compare_takes_a_study_file_and_the_options_given_beside_it()
    {
        var study = Write("study.json", """{ "preset": "quick", "heads": ["softmax-ce"], "models": ["linear"], "seeds": 3, "epochs": 1,""" +
                                        """ "fine_tune_epochs": 0, "init_scales": [1], "learning_rates": [0.1, 0.3], "tuning_epochs": 1 }""");
        var result = data.Run(CompareCommand.Create, "--config", study, "--seeds", "2", "--plan", "--out", data["study"]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Contains("4 runs in 2 phases", result.Output); // 2 tuning rates + 1 arm x 2 seeds
        var both = data.Run(CompareCommand.Create, "--config", study, "--quick", "--plan");
        Assert.Equal(ExitCodes.UsageError, both.Code);
        Assert.Contains("drop --quick or --full, or the file", both.Error);
    }
}
