using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Training;

[Collection(SerialCollection.Name)]
public class TrainerTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("torchloss-trainer-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    RunFolder Folder(string name) => new(Path.Combine(root, name));

    static TrainConfig Config(string head = "softmax-ce", double lr = 0.5, int epochs = 3) => new()
    {
        Dataset = "synthetic",
        Head = head,
        Model = "mlp:16",
        LearningRate = lr,
        Momentum = 0.9,
        BatchSize = 20,
        Epochs = epochs,
        LogEvery = 5,
        Seed = 11,
    };

    [Theory]
    [InlineData("softmax-ce", 0.5)]
    [InlineData("softmax-mse", 0.5)]
    [InlineData("sigmoid-mse", 0.5)]
    [InlineData("sigmoid-bce", 0.3)]
    [InlineData("logit-mse", 0.05)]
    public void EveryHeadLearnsASyntheticTask(string head, double lr)
    {
        using var data = SyntheticImages.Data();
        var summary = new Trainer(Config(head, lr, epochs: 4), data, Folder(head)).Run();
        Assert.Equal(RunStatus.Completed, summary.Status);
        Assert.True(summary.FinalTestError < 0.1, $"{head}: test error {summary.FinalTestError:P1} (chance is 75%)");
    }

    [Fact]
    public void ARunFolderHoldsEveryFileAndIsMarkedComplete()
    {
        using var data = SyntheticImages.Data();
        var run = Folder("complete");
        var summary = new Trainer(Config(epochs: 2), data, run).Run();
        Assert.True(run.IsComplete);
        foreach (var file in new[] { "config.json", "summary.json", "state.json", "model.params", "best.params",
                     "metrics.csv", "metrics.jsonl", "steps.csv" })
            Assert.True(File.Exists(run.File(file)), $"{file} is missing");
        Assert.Equal(["model-epoch2.params", "optimizer-epoch2.params"],
            Directory.GetFiles(run.File(Checkpoint.Directory)).Select(Path.GetFileName).Order());
        Assert.Single(Directory.GetFiles(run.Path, "events.out.tfevents.*"));
        Assert.Empty(Directory.GetFiles(run.Path, "*.tmp-*"));

        var config = JsonFiles.Read<RunConfigFile>(run.File("config.json"));
        Assert.Equal(11UL, config.Config.Seed);
        Assert.Equal(TorchRuntime.LibTorchVersion, config.Environment.LibtorchVersion);
        Assert.Equal(TorchRuntime.TorchSharpVersion, config.Environment.TorchSharpVersion);
        Assert.Equal(RunConfigFile.CurrentFormatVersion, config.FormatVersion);
        Assert.Equal("cpu", config.Environment.Device);
        Assert.Equal(TorchLoss.Heads.HeadCatalog.Create("softmax-ce").Convention, config.Environment.LossConvention);

        var records = MetricsLog.Read(run.Path);
        var epochs = records.Where(r => r.Kind == MetricRecord.EpochKind).ToList();
        Assert.Equal([0, 1, 2], epochs.Select(r => r.Epoch));
        Assert.Equal(summary.FinalTestError!.Value, epochs[^1]["test_error"], 12);
        Assert.Equal(4, File.ReadAllLines(run.File("metrics.csv")).Length);
        // Epoch 0 is the initial model: scored and diagnosed before any step, no training loss yet.
        Assert.Equal(0, epochs[0].Step);
        Assert.True(double.IsNaN(epochs[0]["train_loss"]));
        Assert.InRange(epochs[0]["validation_error"], 0, 1);
        Assert.InRange(epochs[0]["test_error"], 0, 1);
        Assert.True(epochs[0]["output_grad_norm"] > 0);
        Assert.InRange(epochs[0]["saturated_fraction"], 0, 1);
        // 300 training examples at batch 20: 15 steps per epoch, logged at steps 5, 10 and 15.
        Assert.Equal([5L, 10, 15, 20, 25, 30], records.Where(r => r.Kind == MetricRecord.StepsKind).Select(r => r.Step));
    }

    [Fact]
    public void LoggedGradientNormsEqualNormsComputedDirectlyFromAutograd()
    {
        using var data = SyntheticImages.Data(train: 140, validation: 40);
        // One step over the whole training split: its gradient does not depend on the shuffled order.
        var config = Config() with { BatchSize = 100, Epochs = 1, LogEvery = 1, Momentum = 0 };
        var run = Folder("norms");
        new Trainer(config, data, run).Run();
        var logged = MetricsLog.Read(run.Path).First(r => r.Kind == MetricRecord.StepsKind);

        TorchRuntime.ManualSeed(config.Seed);
        using var model = TorchLoss.Models.ModelSpec.Parse(config.Model).Build(data.Features, data.ClassCount, torch.CPU);
        using var scope = torch.NewDisposeScope();
        var head = TorchLoss.Heads.HeadCatalog.Create(config.Head);
        var logits = model.forward(data.Train.X);
        logits.retain_grad();
        var targets = TorchLoss.Heads.OutputHead.Targets(data.Train.Y, logits.size(1), ScalarType.Float32);
        head.MeanLoss(logits, targets).backward();
        var names = Trainer.ParameterNames(model);
        foreach (var (name, parameter) in names.Zip(model.parameters()))
        {
            var expected = parameter.grad!.norm().ToDouble();
            Assert.Equal(expected, logged[$"grad_norm_mean/{name}"], 5);
            Assert.Equal(expected, logged[$"grad_norm_max/{name}"], 5);
        }
        var perExample = (logits.grad! * 100).norm(1).mean().ToDouble();
        Assert.Equal(perExample, logged["output_grad_norm"], 5);
    }

    [Fact]
    public void ResumingGivesTheSameMetricsAsAnUninterruptedRun()
    {
        using var data = SyntheticImages.Data();
        var whole = Folder("whole");
        new Trainer(Config(epochs: 3), data, whole).Run();
        var split = Folder("split");
        new Trainer(Config(epochs: 2), data, split).Run();
        // As if the process died while saving epoch 3: model.params already holds other weights. Resume must not read it.
        TorchRuntime.ManualSeed(99);
        using (var other = TorchLoss.Models.ModelSpec.Parse("mlp:16").Build(data.Features, data.ClassCount, torch.CPU))
            ModelFile.Save(other, split.File(RunFolder.ModelFile));
        var resumed = new Trainer(Config(epochs: 3), data, split).Resume();

        Assert.Equal(3, resumed.Epochs);
        var a = MetricsLog.Read(whole.Path);
        var b = MetricsLog.Read(split.Path);
        Assert.Equal(a.Count, b.Count);
        foreach (var (x, y) in a.Zip(b))
        {
            Assert.Equal((x.Kind, x.Epoch, x.Step), (y.Kind, y.Epoch, y.Step));
            foreach (var (name, value) in x.Values.Where(v => v.Key is not ("wall_seconds" or "steps_per_second")))
                Assert.True(value.Equals(y[name]), $"{x.Kind} {x.Epoch}/{x.Step} {name}: {value} vs {y[name]}");
        }
    }

    [Fact]
    public void AnInterruptedRunIsMarkedIncompleteAndCanBeResumed()
    {
        using var data = SyntheticImages.Data();
        var run = Folder("interrupted");
        Assert.Throws<OperationCanceledException>(() => new Trainer(Config(epochs: 3), data, run, new StopAfterEpoch(2)).Run());
        Assert.False(run.IsComplete);
        Assert.True(File.Exists(run.File(RunFolder.IncompleteMarker)));
        Assert.False(File.Exists(run.File(RunFolder.SummaryFile)));
        var summary = new Trainer(Config(epochs: 3), data, run).Resume();
        Assert.True(run.IsComplete);
        Assert.Equal(3, summary.Epochs);
    }

    [Fact]
    public void ANonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint()
    {
        using var data = SyntheticImages.Data();
        var run = Folder("diverged");
        var config = Config("logit-mse", lr: 50, epochs: 3) with { Momentum = 0.99 };
        var summary = new Trainer(config, data, run).Run();
        Assert.Equal(RunStatus.Diverged, summary.Status);
        Assert.Contains("loss became", summary.Message);
        Assert.True(run.IsComplete, "a diverged run is a finished record of what happened");
        Assert.True(summary.Epochs < 3);
        if (summary.Epochs > 0) Assert.Equal(summary.Epochs, JsonFiles.Read<TrainingState>(run.File(RunFolder.StateFile)).Epoch);
        else Assert.False(run.HasCheckpoint);
    }

    [Fact]
    public void AStartedRunFolderIsNotOverwritten()
    {
        using var data = SyntheticImages.Data();
        var run = Folder("taken");
        new Trainer(Config(epochs: 1), data, run).Run();
        var e = Assert.Throws<IOException>(() => new Trainer(Config(epochs: 1), data, run).Run());
        Assert.Contains("--resume", e.Message);
    }

    [Fact]
    public void EarlyStoppingEndsTheRunWhenValidationStopsImproving()
    {
        using var data = SyntheticImages.Data();
        // The task is learnt within an epoch or two; validation error then stays at its best and stops improving.
        var summary = new Trainer(Config(epochs: 30) with { EarlyStopPatience = 2 }, data, Folder("early")).Run();
        Assert.Equal(RunStatus.StoppedEarly, summary.Status);
        Assert.True(summary.Epochs < 30);
        Assert.Equal(summary.Epochs - 2, summary.BestEpoch);
    }

    [Fact]
    public void LogisticRegressionLearnsABinaryTask()
    {
        using var data = SyntheticImages.Data(binary: "1v2");
        Assert.Equal(2, data.ClassCount);
        var config = Config("sigmoid-bce", lr: 0.5) with { Model = "logistic", BinaryTask = "1v2" };
        var summary = new Trainer(config, data, Folder("logistic")).Run();
        Assert.True(summary.FinalTestError < 0.05, $"test error {summary.FinalTestError:P1}");
        var e = Assert.Throws<FormatException>(() => new Trainer(config with { Head = "softmax-ce" }, data, Folder("logistic-ce")).Run());
        Assert.Contains("needs at least 2 outputs", e.Message);
    }

    sealed class StopAfterEpoch(int epoch) : ITrainingObserver
    {
        public void EpochCompleted(EpochRecord record)
        {
            if (record.Epoch == epoch) throw new OperationCanceledException("simulated interruption");
        }
    }
}
