using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>Each run that scores the test split saves its final model's test predictions, which agree with its test error.</summary>
[Collection(SerialCollection.Name)]
public class TestPredictionsTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("torchloss-predictions-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static TrainConfig Config => new()
    {
        Dataset = "synthetic", Head = "softmax-ce", Model = "mlp:16", LearningRate = 0.5, Momentum = 0.9, BatchSize = 20, Epochs = 2, LogEvery = 5, Seed = 3,
    };

    [Fact]
    public void TheSavedPredictionsGiveTheRunsTestError()
    {
        using var data = SyntheticImages.Data();
        var run = new RunFolder(Path.Combine(root, "run"));
        var summary = new Trainer(Config, data, run).Run();
        var correct = TestPredictions.ReadCorrect(run.File(TestPredictions.File));
        Assert.NotNull(correct);
        Assert.Equal(data.Test.Count, correct.Length);
        Assert.Equal(summary.FinalTestError!.Value, correct.Count(c => !c) / (double)correct.Length, 12);
        Assert.Equal("label,predicted", File.ReadLines(run.File(TestPredictions.File)).First());
    }

    [Fact]
    public void ARunThatNeverScoresTheTestSplitSavesNoPredictions()
    {
        using var data = SyntheticImages.Data();
        var run = new RunFolder(Path.Combine(root, "tuning"));
        new Trainer(Config with { EvaluateTest = false }, data, run).Run();
        Assert.False(File.Exists(run.File(TestPredictions.File)));
        Assert.Null(TestPredictions.ReadCorrect(run.File(TestPredictions.File)));
    }
}
