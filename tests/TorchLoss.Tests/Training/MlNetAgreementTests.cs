using System.Globalization;
using System.Text.Json.Nodes;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;
using TorchSharp;

namespace TorchLoss.Tests.Training;

/// <summary>A small trained run's ml_net in summary.json against our own evaluation of the same test predictions: test
/// error, NLL, macro accuracy and the confusion matrix counted here from test_predictions.csv.</summary>
[Collection(SerialCollection.Name)]
public class MlNetAgreementTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("torchloss-mlnet-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    // One short epoch at a small rate: the models are still wrong on 18-39 % of the test images, so the matrices have
    // counts off their diagonals.
    static TrainConfig Config(string head, string model, string? binary, double lr = 0.05) => new()
    {
        Dataset = "synthetic", Head = head, Model = model, BinaryTask = binary, LearningRate = lr, Momentum = 0.5, BatchSize = 20,
        Epochs = 1, LogEvery = 5, Seed = 5,
    };

    [Theory]
    [InlineData("softmax-ce", "linear", null, 0.03)]
    [InlineData("sigmoid-mse", "linear", null, 0.1)] // one probability per class: rows that do not sum to 1
    [InlineData("sigmoid-bce", "logistic", "0v1", 0.02)] // one output, expanded to [1 − p, p]
    public void MlNetAgreesWithOurEvaluationOfTheSamePredictions(string headName, string model, string? binary, double lr)
    {
        using var data = SyntheticImages.Data(binary: binary);
        var config = Config(headName, model, binary, lr);
        var run = new RunFolder(Path.Combine(root, headName));
        var summary = new Trainer(config, data, run).Run();
        var ml = JsonFiles.Read<RunSummary>(run.File(RunFolder.SummaryFile)).MlNet;
        Assert.NotNull(ml);
        var saved = TestPredictions.Read(run.File(TestPredictions.File))!;
        // ML.NET clamps at 1e-15 and we at 1e-12: equal when no true class's probability is that small.
        Assert.All(saved.TrueProbability, p => Assert.True(p > 1e-12, $"p(true class) = {p}"));

        Assert.Equal(1 - summary.FinalTestError!.Value, ml.MicroAccuracy, 1e-6);
        Assert.Equal(saved.NegativeLogLikelihood, ml.LogLoss, 1e-6);

        var classes = data.ClassCount;
        var counts = Enumerable.Range(0, classes).Select(_ => new long[classes]).ToArray();
        var logLoss = new double[classes];
        foreach (var fields in File.ReadLines(run.File(TestPredictions.File)).Skip(1).Select(l => l.Split(',')))
        {
            int label = int.Parse(fields[0], CultureInfo.InvariantCulture), predicted = int.Parse(fields[1], CultureInfo.InvariantCulture);
            counts[label][predicted]++;
            logLoss[label] -= Math.Log(double.Parse(fields[3], CultureInfo.InvariantCulture));
        }
        Assert.Equal(classes, ml.ClassCount);
        Assert.Equal(counts, ml.ConfusionMatrix);
        var wrong = counts.Select((row, c) => row.Sum() - row[c]).Sum();
        Assert.True(wrong > 0, "every test image right: the matrix tests nothing off its diagonal");
        var sizes = counts.Select(row => (double)row.Sum()).ToArray();
        Assert.Equal(Enumerable.Range(0, classes).Where(c => sizes[c] > 0).Average(c => counts[c][c] / sizes[c]), ml.MacroAccuracy, 1e-6);
        for (var c = 0; c < classes; c++) Assert.Equal(logLoss[c] / sizes[c], ml.PerClassLogLoss[c], 1e-6);

        // The same predictions again from the saved final model: the same metrics, and for sigmoid-mse rows that ML.NET
        // takes as they are although they are no distribution.
        using var head = HeadCatalog.Create(config.Head);
        using var trained = ModelSpec.Parse(config.Model).Build(data.Features, data.ClassCount, torch.CPU);
        ModelFile.Load(trained, run.File(RunFolder.ModelFile));
        var predictions = Evaluation.Predictions(trained, head, data.Test);
        Assert.Equal(ml, MlNetEvaluation.Evaluate(predictions), MetricsComparer.Instance);
        var largestGap = Enumerable.Range(0, predictions.Count).Max(i => Math.Abs(predictions.Row(i).ToArray().Sum() - 1));
        if (headName == "sigmoid-mse") Assert.True(largestGap > 0.1, $"rows sum to 1 within {largestGap}");
        else Assert.True(largestGap < 1e-5, $"a row of {headName}'s probabilities is {largestGap} off 1");
    }

    [Fact]
    public void ARunThatNeverScoresTheTestSplitHasNoMlNetAndOldSummariesStillRead()
    {
        using var data = SyntheticImages.Data();
        var run = new RunFolder(Path.Combine(root, "tuning"));
        var summary = new Trainer(Config("softmax-ce", "mlp:16", null) with { EvaluateTest = false }, data, run).Run();
        Assert.Null(summary.MlNet);
        Assert.Contains("\"ml_net\": null", File.ReadAllText(run.File(RunFolder.SummaryFile)));

        // A summary written before ml_net existed: reads, and the run's files still agree (it is reused).
        var scored = new RunFolder(Path.Combine(root, "scored"));
        new Trainer(Config("softmax-ce", "mlp:16", null), data, scored).Run();
        var json = JsonNode.Parse(File.ReadAllText(scored.File(RunFolder.SummaryFile)))!.AsObject();
        Assert.True(json.Remove("ml_net"));
        File.WriteAllText(scored.File(RunFolder.SummaryFile), json.ToJsonString());
        Assert.Null(JsonFiles.Read<RunSummary>(scored.File(RunFolder.SummaryFile)).MlNet);
        Assert.Null(RunConsistency.Problem(scored));
    }

    /// <summary>Metrics equal number for number (records compare arrays by reference).</summary>
    sealed class MetricsComparer : IEqualityComparer<MlNetMetrics>
    {
        public static readonly MetricsComparer Instance = new();

        public bool Equals(MlNetMetrics? x, MlNetMetrics? y) => x is not null && y is not null && x.ClassCount == y.ClassCount
            && x.MicroAccuracy == y.MicroAccuracy && x.MacroAccuracy == y.MacroAccuracy && x.LogLoss == y.LogLoss
            && x.LogLossReduction == y.LogLossReduction && x.PerClassLogLoss.SequenceEqual(y.PerClassLogLoss)
            && x.TopKAccuracy.SequenceEqual(y.TopKAccuracy) && x.ConfusionMatrix.Length == y.ConfusionMatrix.Length
            && x.ConfusionMatrix.Zip(y.ConfusionMatrix).All(r => r.First.SequenceEqual(r.Second));

        public int GetHashCode(MlNetMetrics obj) => obj.ClassCount;
    }
}
