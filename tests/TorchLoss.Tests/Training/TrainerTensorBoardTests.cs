using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Tests.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>What a run's event file tells TensorBoard: the HParams session (start with the settings, end with the status),
/// the config as text, the scalars; and that --resume leaves one session, started when the run first started.</summary>
[Collection(SerialCollection.Name)]
public sealed class TrainerTensorBoardTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("torchloss-trainer-tb-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static TrainConfig Config => new()
    {
        Dataset = "synthetic", Head = "softmax-mse", Model = "mlp:16", LearningRate = 0.5, Momentum = 0.9, BatchSize = 20, Epochs = 2,
        LogEvery = 5, Seed = 11, Engine = "auto",
    };

    static List<EventFile.Value> Values(List<EventFile.Event> events, string tag) =>
        events.SelectMany(e => e.Values).Where(v => v.Tag == tag).ToList();

    [Fact]
    public void ACompletedRunWritesItsSessionItsConfigAndItsScalars()
    {
        using var data = SyntheticImages.Data();
        var run = new RunFolder(Path.Combine(root, "done"));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var summary = new Trainer(Config, data, run).Run();
        var events = EventFile.ReadFolder(run.Path);

        var start = Assert.Single(Values(events, "_hparams_/session_start_info")).PluginContent.Message(3);
        var hparams = EventFile.HParams(start);
        Assert.Equal("softmax-mse", hparams["head"]);
        Assert.Equal(0.5, hparams["learning_rate"]);
        Assert.Equal(1.0, hparams["init_scale"]);
        Assert.Equal("synthetic", hparams["dataset"]);
        Assert.Equal(JsonFiles.Read<RunConfigFile>(run.File(RunFolder.ConfigFile)).Environment.Engine, hparams["engine"]);
        Assert.InRange(start.Double(5), before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);

        var config = Assert.Single(Values(events, TensorBoardSession.ConfigTag));
        Assert.Equal("text", config.PluginName);
        Assert.Contains("\"head\": \"softmax-mse\"", config.Tensor!.String(8));

        Assert.Equal(3, Values(events, "epoch/validation_error").Count);
        Assert.Equal((float)summary.FinalTestError!.Value, Values(events, "epoch/test_error")[^1].SimpleValue);

        var end = Assert.Single(Values(events, "_hparams_/session_end_info"));
        Assert.Equal(1UL, end.PluginContent.Message(4).Varint(1));
        Assert.Equal("_hparams_/session_end_info", events[^1].Values.Single().Tag);
    }

    [Fact]
    public void ADivergedRunEndsItsSessionAsAFailure()
    {
        using var data = SyntheticImages.Data();
        var run = new RunFolder(Path.Combine(root, "diverged"));
        var summary = new Trainer(Config with { Head = "logit-mse", LearningRate = 50, Momentum = 0.99, Epochs = 3 }, data, run).Run();
        Assert.Equal(RunStatus.Diverged, summary.Status);
        var end = Assert.Single(Values(EventFile.ReadFolder(run.Path), "_hparams_/session_end_info"));
        Assert.Equal(2UL, end.PluginContent.Message(4).Varint(1));
    }

    [Fact]
    public void AResumedRunHasOneSessionStartedWhenTheRunFirstStarted()
    {
        using var data = SyntheticImages.Data();
        var run = new RunFolder(Path.Combine(root, "resumed"));
        Assert.Throws<OperationCanceledException>(() => new Trainer(Config, data, run, new StopInEpoch(2)).Run());
        var interrupted = EventFile.ReadFolder(run.Path);
        Assert.Empty(Values(interrupted, "_hparams_/session_end_info"));
        var firstStart = Assert.Single(Values(interrupted, "_hparams_/session_start_info")).PluginContent.Message(3);

        new Trainer(Config, data, run).Resume();
        var events = EventFile.ReadFolder(run.Path);
        var start = Assert.Single(Values(events, "_hparams_/session_start_info")).PluginContent.Message(3);
        Assert.Equal(firstStart.Double(5), start.Double(5));
        Assert.Equal(EventFile.HParams(firstStart), EventFile.HParams(start));
        Assert.Equal(firstStart.String(4), start.String(4));
        Assert.Single(Values(events, TensorBoardSession.ConfigTag));
        Assert.Single(Values(events, "_hparams_/session_end_info"));
        Assert.Equal(3, Values(events, "epoch/validation_error").Count); // epochs 0 to 2, the partial epoch 2 dropped
    }

    sealed class StopInEpoch(int epoch) : ITrainingObserver
    {
        public void StepCompleted(int e, int stepInEpoch, int stepsPerEpoch)
        {
            if (e == epoch && stepInEpoch == 3) throw new OperationCanceledException("stopped");
        }
    }
}
