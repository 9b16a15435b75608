using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>ML.NET's multiclass evaluation on hand-made predictions whose metrics are known.</summary>
public class MlNetEvaluationTests
{
    static SplitPredictions Predictions(long[] labels, double[][] rows) =>
        new(labels, rows.Select(r => (long)Array.IndexOf(r, r.Max())).ToArray(), rows.SelectMany(r => r).ToArray(), rows[0].Length);

    [Fact]
    public void EachClassKeepsItsRowAndColumnOfTheConfusionMatrix()
    {
        // Class 0 is always right (3 examples), class 1 always taken for class 2 (2), class 2 right once and taken for 0 once.
        // An off-by-one in the keys either way moves rows: passing c + 1 (LoadFromEnumerable adds the 1 itself) drops
        // class 2 as a missing label and shifts the rest down a row; subtracting one drops class 0.
        long[] labels = [0, 0, 0, 1, 1, 2, 2];
        double[][] rows =
        [
            [0.7, 0.2, 0.1], [0.8, 0.1, 0.1], [0.6, 0.3, 0.1],
            [0.3, 0.2, 0.5], [0.1, 0.2, 0.7],
            [0.1, 0.1, 0.8], [0.5, 0.2, 0.3],
        ];
        var metrics = MlNetEvaluation.Evaluate(Predictions(labels, rows));

        Assert.Equal(3, metrics.ClassCount);
        Assert.Equal([[3L, 0, 0], [0L, 0, 2], [1L, 0, 1]], metrics.ConfusionMatrix);
        Assert.Equal(4.0 / 7, metrics.MicroAccuracy, 12);
        Assert.Equal((1 + 0 + 0.5) / 3, metrics.MacroAccuracy, 12);
        var perExample = labels.Select((y, i) => -Math.Log((float)rows[i][y])).ToArray();
        Assert.Equal(perExample.Average(), metrics.LogLoss, 12);
        Assert.Equal([perExample[..3].Average(), perExample[3..5].Average(), perExample[5..].Average()], metrics.PerClassLogLoss, new Tolerance(1e-12));
        var prior = -new[] { 3.0, 2, 2 }.Sum(n => n / 7 * Math.Log(n / 7));
        Assert.Equal(1 - metrics.LogLoss / prior, metrics.LogLossReduction, 12);
        // Top-1 is the accuracy; class 1's first example has its class third (0.2 after 0.5 and 0.3), the others second.
        Assert.Equal([4.0 / 7, 6.0 / 7, 1], metrics.TopKAccuracy, new Tolerance(1e-12));
    }

    [Fact]
    public void ScoresThatDoNotSumToOneAreNotNormalisedAndTiesGoToTheFirstClass()
    {
        // Sigmoid outputs: one probability per class. ML.NET's log-loss is −ln of the true class's own output
        // (0.9, not 0.9 / 1.8), and its prediction is the first largest score, whatever PredictedLabel says.
        var predictions = new SplitPredictions([1, 0], [1, 0], [0.9, 0.9, 0.3, 0.05], 2);
        var metrics = MlNetEvaluation.Evaluate(predictions);
        Assert.Equal((-Math.Log(0.9f) - Math.Log(0.3f)) / 2, metrics.LogLoss, 12);
        Assert.Equal([[1L, 0], [1L, 0]], metrics.ConfusionMatrix);
        Assert.Equal(0.5, metrics.MicroAccuracy, 12);
    }

    [Fact]
    public void AZeroProbabilityIsClampedAtOneInTenToTheFifteen()
    {
        var metrics = MlNetEvaluation.Evaluate(new SplitPredictions([0, 1], [1, 1], [0, 1, 0, 1], 2));
        Assert.Equal(-Math.Log((float)1e-15) / 2, metrics.LogLoss, 9);
        Assert.Equal([[0L, 1], [0L, 1]], metrics.ConfusionMatrix);
    }

    [Fact]
    public void LabelsOutsideTheClassesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MlNetEvaluation.Evaluate(new SplitPredictions([2], [0], [0.6, 0.4], 2)));
        Assert.Throws<ArgumentException>(() => MlNetEvaluation.Evaluate(new SplitPredictions([0], [0], [1.0], 1)));
    }

    sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;
        public int GetHashCode(double obj) => 0;
    }
}
