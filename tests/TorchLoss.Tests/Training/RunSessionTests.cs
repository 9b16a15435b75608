using System.Text.Json;
using TorchLoss.Data.Tables;
using TorchLoss.Heads;
using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

public class RunSessionTests
{
    static RunEnvironment Environment(string? engine = "fused") => new("1.0", "2.10.0", "0.107.0", "10.0", "Linux", "mkl", "cpu", engine, null,
        2, null, 2, "mlp 784-256-256-10", 269_322, "softmax + cross-entropy", "mean over the batch", "mnist: ...", null);

    static TrainConfig Config => new()
    {
        Head = "sigmoid-mse", LearningRate = 0.05, InitScale = 0.5, Momentum = 0.9, Nesterov = true, BatchSize = 64, Seed = 7,
        MseReduction = SquaredErrorReduction.MeanOverClasses, Engine = "auto", Threads = 2, DataDirectory = "/data", EarlyStopPatience = null,
    };

    static Dictionary<string, object> HParams(TrainConfig config, string? engine = "fused") =>
        RunSession.HParams(new RunConfigFile(config, Environment(engine), RunConfigFile.CurrentFormatVersion)).ToDictionary();

    [Fact]
    public void TheHyperparametersAreTheSettingsUnderConfigJsonsNamesAndTypes()
    {
        var hparams = HParams(Config);
        Assert.Equal("sigmoid-mse", hparams["head"]);
        Assert.Equal("mnist", hparams["dataset"]);
        Assert.Equal("mlp:256,256", hparams["model"]);
        Assert.Equal("sgd", hparams["optimizer"]);
        Assert.Equal("mean", hparams["mse_reduction"]);
        Assert.Equal("sigmoid", hparams["hidden_activation"]);
        Assert.Equal(0.05, hparams["learning_rate"]);
        Assert.Equal(0.5, hparams["init_scale"]);
        Assert.Equal(0.9, hparams["momentum"]);
        Assert.Equal(64.0, hparams["batch_size"]);
        Assert.Equal(7.0, hparams["seed"]);
        Assert.Equal(true, hparams["nesterov"]);
        Assert.Equal(true, hparams["evaluate_test"]);
        Assert.All(hparams.Values, v => Assert.True(v is string or bool or double, $"{v} is a {v.GetType()}"));
        // The engine that ran, not "auto".
        Assert.Equal("fused", hparams["engine"]);
        Assert.Equal("auto", HParams(Config, engine: null)["engine"]);
        // Speed and logging settings are not hyperparameters, and unset ones are left out.
        foreach (var absent in new[] { "threads", "blas_threads", "log_every", "step_statistics", "data_directory", "early_stop_patience", "table", "binary_task" })
            Assert.False(hparams.ContainsKey(absent), absent);
    }

    [Fact]
    public void ASeedPast2To53KeepsEveryDigitAndItsOwnGroup()
    {
        Assert.Equal("18446744073709551615", HParams(Config with { Seed = ulong.MaxValue })["seed"]);
        Assert.Equal(9007199254740992.0, HParams(Config with { Seed = 1UL << 53 })["seed"]);
        // 2^53 + 1 and 2^53 + 2 are the same double; as hyperparameters they stay apart.
        var a = RunSession.Of(new RunConfigFile(Config with { Seed = (1UL << 53) + 1 }, Environment(), RunConfigFile.CurrentFormatVersion), DateTimeOffset.UnixEpoch);
        var b = RunSession.Of(new RunConfigFile(Config with { Seed = (1UL << 53) + 2 }, Environment(), RunConfigFile.CurrentFormatVersion), DateTimeOffset.UnixEpoch);
        Assert.NotEqual(a.GroupName, b.GroupName);
    }

    [Fact]
    public void ATablesOptionsAreHyperparametersUnderTheirOwnPrefix()
    {
        var hparams = HParams(Config with { Dataset = "csv:iris.csv", Table = new TableOptions { LabelColumn = "species", TestFraction = 0.25 } });
        Assert.Equal("species", hparams["table.label_column"]);
        Assert.Equal(0.25, hparams["table.test_fraction"]);
        Assert.Equal("auto", hparams["table.header"]);
        Assert.False(hparams.ContainsKey("table.feature_columns"));
    }

    [Fact]
    public void RunsWithTheSameHyperparametersShareAGroupAndOthersDoNot()
    {
        static string Group(TrainConfig config) =>
            RunSession.Of(new RunConfigFile(config, Environment(), RunConfigFile.CurrentFormatVersion), DateTimeOffset.UnixEpoch).GroupName;
        Assert.Equal(Group(Config), Group(Config with { Threads = 1, DataDirectory = "/elsewhere" }));
        Assert.NotEqual(Group(Config), Group(Config with { LearningRate = 0.1 }));
        Assert.NotEqual(Group(Config), Group(Config with { Seed = 8 }));
        Assert.Matches("^[0-9a-f]{64}$", Group(Config));
    }

    [Fact]
    public void TheConfigTextIsATableOfTheHyperparametersAndTheWholeConfigJson()
    {
        var file = new RunConfigFile(Config with { InitFrom = "weights/with`backticks```.params" }, Environment(), RunConfigFile.CurrentFormatVersion);
        var session = RunSession.Of(file, DateTimeOffset.UnixEpoch);
        var markdown = session.ConfigMarkdown;
        Assert.StartsWith("| setting | value |\n|---|---|\n", markdown);
        Assert.Contains("| head | sigmoid-mse |\n", markdown);
        Assert.Contains("| learning_rate | 0.05 |\n", markdown);
        Assert.Contains("| nesterov | true |\n", markdown);
        // The code block holds config.json as written, fenced by more backticks than it contains in a row.
        var json = JsonSerializer.Serialize(file, JsonFiles.Options);
        Assert.EndsWith($"config.json:\n\n````json\n{json}\n````\n", markdown);
    }
}
