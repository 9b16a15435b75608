using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Training;

/// <summary>`train` with each engine: the fused and the autograd engine train the same run, and config.json says which ran
/// and why. Serial: the trainer seeds libtorch and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public class TrainerEngineTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("torchloss-engine-").FullName;
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        Directory.Delete(root, recursive: true);
    }

    RunFolder Folder(string name) => new(Path.Combine(root, name));

    static TrainConfig Config(string engine, string head = "softmax-ce") => new()
    {
        Dataset = "synthetic",
        Head = head,
        Model = "mlp:16",
        LearningRate = 0.3,
        Momentum = 0.9,
        WeightDecay = 0.001,
        BatchSize = 20,
        Epochs = 2,
        LogEvery = 5,
        Seed = 11,
        Engine = engine,
    };

    [Theory]
    [InlineData("softmax-ce")]
    [InlineData("sigmoid-mse")]
    public void FusedAndAutogradRunsRecordTheSameMetrics(string head)
    {
        using var data = SyntheticImages.Data();
        var fused = Folder("fused");
        var autograd = Folder("autograd");
        new Trainer(Config("fused", head), data, fused).Run();
        new Trainer(Config("autograd", head), data, autograd).Run();

        var a = MetricsLog.Read(autograd.Path);
        var f = MetricsLog.Read(fused.Path);
        Assert.Equal(a.Select(r => (r.Kind, r.Epoch, r.Step)), f.Select(r => (r.Kind, r.Epoch, r.Step)));
        Assert.Equal(3, a.Count(r => r.Kind == MetricRecord.EpochKind)); // epoch 0, the initial model, and two epochs
        foreach (var (x, y) in a.Zip(f))
        {
            Assert.Equal(x.Values.Select(v => v.Key), y.Values.Select(v => v.Key));
            foreach (var (name, value) in x.Values.Where(v => v.Key is not ("wall_seconds" or "steps_per_second")))
                Assert.True(double.IsNaN(value) ? double.IsNaN(y[name]) : Math.Abs(value - y[name]) <= 1e-5 * Math.Max(1, Math.Abs(value)),
                    $"{x.Kind} {x.Epoch}/{x.Step} {name}: autograd {value}, fused {y[name]}");
        }

        Assert.Equal(("fused", (string?)null), Engine(fused));
        Assert.Equal(("autograd", (string?)null), Engine(autograd));
        var environment = JsonFiles.Read<RunConfigFile>(fused.File(RunFolder.ConfigFile)).Environment;
        Assert.Equal(ThreadSettings.For(TrainingEngine.Fused, 0).IntraOp, environment.IntraOpThreads);
        environment = JsonFiles.Read<RunConfigFile>(autograd.File(RunFolder.ConfigFile)).Environment;
        // So small a model runs autograd's MKL on one core.
        Assert.Equal((1, (int?)1), (environment.IntraOpThreads, environment.BlasThreads));
    }

    [Fact]
    public void AutoRunsFusedWithSgd()
    {
        using var data = SyntheticImages.Data(train: 100, validation: 20, test: 20);
        var run = Folder("auto-sgd");
        new Trainer(Config("auto") with { Epochs = 1 }, data, run).Run();
        Assert.Equal(("fused", (string?)null), Engine(run));
        Assert.Equal("auto", JsonFiles.Read<RunConfigFile>(run.File(RunFolder.ConfigFile)).Config.Engine);
    }

    [Fact]
    public void ARunFromBeforeEnginesExistedIsReadAsAutogradSoItResumesAndIsReusedAsItRan()
    {
        using var data = SyntheticImages.Data(train: 100, validation: 20, test: 20);
        var run = Folder("before-engines");
        new Trainer(Config("auto") with { Epochs = 1 }, data, run).Run();
        var path = run.File(RunFolder.ConfigFile);
        Assert.Equal("auto", JsonFiles.Read<RunConfigFile>(path).EffectiveConfig.Engine);

        // config.json as written before engines existed: no engine in the config or the environment.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        json["config"]!.AsObject().Remove("engine");
        json["environment"]!.AsObject().Remove("engine");
        json["environment"]!.AsObject().Remove("engine_note");
        File.WriteAllText(path, json.ToJsonString());
        Assert.Equal("autograd", JsonFiles.Read<RunConfigFile>(path).EffectiveConfig.Engine);
    }

    [Fact]
    public void AutoWithAdamRecordsAutogradAndWhy()
    {
        using var data = SyntheticImages.Data(train: 100, validation: 20, test: 20);
        var run = Folder("auto-adam");
        var summary = new Trainer(Config("auto") with { Optimizer = "adam", LearningRate = 0.01, Momentum = 0, Epochs = 1 }, data, run).Run();
        Assert.Equal(RunStatus.Completed, summary.Status);
        Assert.Equal(("autograd", "autograd because the fused step implements SGD only"), Engine(run));
    }

    [Fact]
    public void FusedWithAdamIsRefusedBeforeTheRunFolderIsMade()
    {
        using var data = SyntheticImages.Data(train: 100, validation: 20, test: 20);
        var run = Folder("fused-adam");
        var e = Assert.Throws<FormatException>(() =>
            new Trainer(Config("fused") with { Optimizer = "adam", LearningRate = 0.01, Momentum = 0 }, data, run).Run());
        Assert.Equal("--engine fused cannot run this configuration: the fused step implements SGD only", e.Message);
        Assert.False(File.Exists(run.File(RunFolder.ConfigFile)));
    }

    [Fact]
    public void AnUnknownEngineInTheConfigIsRefused()
    {
        using var data = SyntheticImages.Data(train: 100, validation: 20, test: 20);
        var e = Assert.Throws<FormatException>(() => new Trainer(Config("bogus"), data, Folder("bogus")).Run());
        Assert.Contains("expected one of auto, fused, autograd", e.Message);
    }

    static (string? Engine, string? Note) Engine(RunFolder run)
    {
        var environment = JsonFiles.Read<RunConfigFile>(run.File(RunFolder.ConfigFile)).Environment;
        return (environment.Engine, environment.EngineNote);
    }
}
