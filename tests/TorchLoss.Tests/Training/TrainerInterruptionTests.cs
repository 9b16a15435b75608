using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>An observer that stops a run mid-epoch (as the CLI does on Ctrl-C) leaves it incomplete, and resuming gives
/// exactly the metrics of an uninterrupted run: what the partial epoch logged is dropped, not kept twice.</summary>
[Collection(SerialCollection.Name)]
public sealed class TrainerInterruptionTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("torchloss-interrupt-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static TrainConfig Config => new()
    {
        Dataset = "synthetic", Head = "softmax-ce", Model = "mlp:16", LearningRate = 0.5, Momentum = 0.9, BatchSize = 20, Epochs = 3,
        LogEvery = 5, Seed = 11,
    };

    [Theory]
    [InlineData("fused")]
    [InlineData("autograd")]
    public void A_run_stopped_between_steps_resumes_to_the_same_metrics(string engine)
    {
        using var data = SyntheticImages.Data();
        var config = Config with { Engine = engine };
        var whole = new RunFolder(Path.Combine(root, "whole"));
        new Trainer(config, data, whole).Run();

        var split = new RunFolder(Path.Combine(root, "split"));
        // Step 7 of epoch 2: after that epoch's first logged interval (step 5), before its checkpoint.
        Assert.Throws<OperationCanceledException>(() => new Trainer(config, data, split, new StopAt(epoch: 2, step: 7)).Run());
        Assert.False(split.IsComplete);
        Assert.Equal(1, JsonFiles.Read<TrainingState>(split.File(RunFolder.StateFile)).Epoch);

        new Trainer(config, data, split).Resume();
        Assert.True(split.IsComplete);
        var a = MetricsLog.Read(whole.Path);
        var b = MetricsLog.Read(split.Path);
        Assert.Equal(a.Select(r => (r.Kind, r.Epoch, r.Step)), b.Select(r => (r.Kind, r.Epoch, r.Step)));
        foreach (var (x, y) in a.Zip(b))
            foreach (var (name, value) in x.Values.Where(v => v.Key is not ("wall_seconds" or "steps_per_second")))
                Assert.True(value.Equals(y[name]), $"{x.Kind} {x.Epoch}/{x.Step} {name}: {value} vs {y[name]}");
    }

    sealed class StopAt(int epoch, int step) : ITrainingObserver
    {
        public void StepCompleted(int e, int stepInEpoch, int stepsPerEpoch)
        {
            if (e == epoch && stepInEpoch == step) throw new OperationCanceledException("stopped between steps");
        }
    }
}
