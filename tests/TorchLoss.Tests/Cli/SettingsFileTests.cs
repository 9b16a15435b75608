using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runs;
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

    /// <summary>Nine levels of nine aliases: 9^9 (387 million) strings once expanded, from 460 bytes.</summary>
    const string AliasBomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" +
                             "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
                             "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n" +
                             "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n" +
                             "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";

    public static TheoryData<string, string, string> BadFiles() => new()
    {
        { "s.yaml", "lr: 0.3\n", "at 'lr': unknown setting" },
        { "s.json", "{ \"epochs\": \"many\" }", "at 'epochs': a value of the wrong kind" },
        { "s.json", "{ \"epochs\": ", "not valid JSON" },
        { "s.yaml", "- 1\n- 2\n", "expected settings (key: value pairs) at the top level" },
        // A key given twice is refused, never read as the last one.
        { "s.json", "{\"learning_rate\":0.3,\"learning_rate\":0.5}", ": 'learning_rate' is given twice" },
        { "s.json", "{\"config\": {\"epochs\": 1, \"epochs\": 2}}", ": 'epochs' is given twice" },
        { "s.yaml", "learning_rate: 0.3\nlearning_rate: 0.5\n", ": line 2: 'learning_rate' is given twice" },
        { "s.yaml", "head_learning_rates:\n  softmax-ce: [0.1]\n  softmax-ce: [0.2]\n", ": line 3: 'head_learning_rates.softmax-ce' is given twice" },
        // Numbers that are not finite, which JSON cannot hold.
        { "s.yaml", "learning_rate: .inf\n", ": line 1: learning_rate: '.inf' is not a finite number" },
        { "s.yaml", "momentum: -.Inf\n", ": line 1: momentum: '-.Inf' is not a finite number" },
        { "s.yaml", "learning_rate: .nan\n", ": line 1: learning_rate: '.nan' is not a finite number" },
        { "s.yaml", "learning_rate: !!float 1e309\n", ": line 1: learning_rate: '1e309' is not a finite number" },
        { "s.yaml", "epochs: 3\nlearning_rate: 1e309\n", ": line 2: learning_rate: '1e309' is not a finite number" },
        // No anchors or aliases, so nothing expands: an alias bomb is refused at its first anchor.
        { "s.yaml", AliasBomb, $": line 1: {YamlSettings.NoAliases}" },
        { "s.yaml", "model: &m linear\n", $": line 1: {YamlSettings.NoAliases}" },
        { "s.yaml", $"a: {new string('[', 100)}{new string(']', 100)}\n", $"settings nested more than {YamlSettings.MaxDepth} levels deep" },
        { "s.yaml", "epochs: 1\n---\nepochs: 2\n", ": line 2: more than one YAML document" },
        { "s.yaml", "epochs: !!int many\n", ": line 1: epochs: 'many' is not a !!int a settings file can hold" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
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
    public void Yaml_scalars_are_typed_as_the_core_schema_types_them()
    {
        var config = SettingsFile.ReadTrain(Write("t.yaml",
            "seed: 0x10\nepochs: !!int \"3\"\nlearning_rate: !!float 1\nmomentum: +0.5\nbatch_size: 0o20\nhead: 'softmax-mse'\n" +
            "model: mlp:8\nnesterov: False\ninit_from: ~\nweight_decay: 1e-3\n"));
        Assert.Equal((16UL, 3, 1.0, 0.5, 16, "softmax-mse", "mlp:8", false, null, 1e-3),
            (config.Seed, config.Epochs, config.LearningRate, config.Momentum, config.BatchSize, config.Head, config.Model, config.Nesterov,
                config.InitFrom, config.WeightDecay));
        var quoted = Write("q.yaml", "model: \"5\"\n");
        Assert.Equal("5", SettingsFile.ReadTrain(quoted).Model);
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
