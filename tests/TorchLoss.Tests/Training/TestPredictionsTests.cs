using TorchLoss.Reporting;
using TorchLoss.Runs;
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
        var saved = TestPredictions.Read(run.File(TestPredictions.File));
        Assert.NotNull(saved);
        Assert.Equal(data.Test.Count, saved.Correct.Count);
        Assert.Equal(summary.FinalTestError!.Value, saved.Correct.Count(c => !c) / (double)saved.Correct.Count, 12);
        Assert.Equal("label,predicted,confidence,true_probability", File.ReadLines(run.File(TestPredictions.File)).First());
        // For softmax + cross-entropy the mean −ln p(true class) is the test loss itself.
        var last = MetricsLog.Read(run.Path).Last(r => r.Kind == MetricRecord.EpochKind);
        Assert.Equal(last["test_loss"], saved.NegativeLogLikelihood, 6); // float32 training, float64 here
        Assert.All(saved.Confidence, c => Assert.InRange(c, 0.25, 1)); // the largest of 4 probabilities
    }

    [Fact]
    public void CalibrationErrorIsTheWeightedGapBetweenAccuracyAndConfidence()
    {
        // Ten examples at confidence 0.9 of which 6 are right (gap 0.3), ten at 0.55 of which 5 are right (gap 0.05).
        var correct = Enumerable.Range(0, 20).Select(i => i < 10 ? i < 6 : i < 15).ToArray();
        var confidence = Enumerable.Range(0, 20).Select(i => i < 10 ? 0.9 : 0.55).ToArray();
        var saved = new SavedPredictions(correct, confidence, confidence);
        Assert.Equal((10 * 0.3 + 10 * 0.05) / 20, saved.ExpectedCalibrationError, 12);
        Assert.Equal(2, saved.Reliability().Count);
        var perfect = new SavedPredictions([true, false], [1.0, 0.0], [1.0, 1e-30]);
        Assert.Equal(-Math.Log(1e-12) / 2, perfect.NegativeLogLikelihood, 9);
    }

    [Fact]
    public void ARunThatNeverScoresTheTestSplitSavesNoPredictions()
    {
        using var data = SyntheticImages.Data();
        var run = new RunFolder(Path.Combine(root, "tuning"));
        new Trainer(Config with { EvaluateTest = false }, data, run).Run();
        Assert.False(File.Exists(run.File(TestPredictions.File)));
        Assert.Null(TestPredictions.Read(run.File(TestPredictions.File)));
    }

    [Fact]
    public void AFileOfTheFirstFormGivesWhichImagesWereRightAndNoCalibration()
    {
        var path = Path.Combine(root, TestPredictions.File);
        File.WriteAllText(path, "label,predicted\n7,7\n2,3\n1,1\n");
        var saved = TestPredictions.Read(path);
        Assert.NotNull(saved);
        Assert.Equal([true, false, true], saved.Correct);
        Assert.False(saved.HasProbabilities);
        Assert.True(double.IsNaN(saved.NegativeLogLikelihood));
        Assert.True(double.IsNaN(saved.ExpectedCalibrationError));
        Assert.Empty(saved.Reliability());

        File.WriteAllText(path, "label,predicted\n7,7,0.5\n");
        Assert.Null(TestPredictions.Read(path));
    }
}
