using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>eval scores a run's model as the run scored itself (the fused forward pass with double sums for a fused run,
/// autograd otherwise), so its loss and error are the digits the run recorded; it once gave 2.2814595947 where the run
/// recorded 2.2814596747 (float32 batch sums against the fused engine's double sums).</summary>
[Collection(SerialCollection.Name)]
public sealed class RunEvaluationTests : IDisposable
{
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("fused", "softmax-ce")]
    [InlineData("fused", "sigmoid-mse")]
    [InlineData("autograd", "softmax-mse")]
    [InlineData("closed-form", "softmax-ce")]
    public void EvalGivesTheTestLossAndErrorTheRunRecorded(string engine, string head)
    {
        using var data = SyntheticImages.Data(train: 260, test: 70, validation: 60);
        var run = new RunFolder(temp[$"{engine}-{head}"]);
        var config = new TrainConfig
        {
            Dataset = "synthetic", Head = head, Model = "mlp:16", LearningRate = 0.5, Momentum = 0.9, BatchSize = 20,
            Epochs = 2, LogEvery = 3, Seed = 3, Engine = engine,
        };
        var summary = new Trainer(config, data, run).Run();
        Assert.Equal(RunStatus.Completed, summary.Status);
        var recorded = MetricsLog.Read(run.Path).Last(r => r.Kind == MetricRecord.EpochKind);

        var result = RunEvaluation.Evaluate(run, RunEvaluation.ReadRun(run, best: false), data, EvaluationSplit.Test, best: false, "synthetic");

        Assert.Equal(recorded["test_loss"], result.Loss);
        Assert.Equal(recorded["test_error"], result.Error);
        Assert.Equal(summary.FinalTestError, result.Error);
    }
}
