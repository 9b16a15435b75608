using TorchLoss.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Analysis;

public class WorkedExamplesTests
{
    [Fact]
    public void LossesOfTheTwoPredictionsWorkedByHand()
    {
        double[] target = [1, 0, 0];
        var first = WorkedExamples.Losses(target, [0.8, 0.1, 0.1]);
        var second = WorkedExamples.Losses(target, [0.8, 0.15, 0.05]);
        // -ln 0.8 = 0.22314355131420976; squares: 0.04 + 0.01 + 0.01 = 0.06 and 0.04 + 0.0225 + 0.0025 = 0.065.
        Assert.Equal(0.22314355131420976, first.CrossEntropy, 14);
        Assert.Equal(0.22314355131420976, second.CrossEntropy, 14);
        Assert.Equal(0.06, first.SumOfSquares, 14);
        Assert.Equal(0.03, first.HalfSumSquaredError, 14);
        Assert.Equal(0.02, first.MeanSquaredError, 14);
        Assert.Equal(0.065, second.SumOfSquares, 14);
        Assert.Equal(0.0325, second.HalfSumSquaredError, 14);
        Assert.Equal(0.065 / 3, second.MeanSquaredError, 14);
    }

    [Fact]
    public void SoftmaxWorkedByHand()
    {
        double[] exp = [Math.Exp(0.2), Math.Exp(5), Math.Exp(0.3)];
        var p = WorkedExamples.Softmax([0.2, 5, 0.3]);
        for (var i = 0; i < 3; i++) Assert.Equal(exp[i] / exp.Sum(), p[i], 15);
        Assert.Equal(0.0080896, p[0], 6);
        Assert.Equal(0.9829700, p[1], 6);
        Assert.Equal(0.0089404, p[2], 6);
    }

    [Fact]
    public void NaiveSoftmaxOverflowsNearAThousandAndTheStableOneDoesNot()
    {
        var result = WorkedExamples.Overflow([1000, 1001, 1002]);
        Assert.True(result.NaiveOverflows);
        Assert.True(result.StableIsFinite);
        // softmax(1000, 1001, 1002) = softmax(0, 1, 2) = (1, e, e^2) / (1 + e + e^2).
        var sum = 1 + Math.E + Math.E * Math.E;
        Assert.Equal(1 / sum, result.Stable[0], 15);
        Assert.Equal(Math.E * Math.E / sum, result.Stable[2], 15);
        Assert.True(result.StableVersusLibrary < 1e-15);
    }

    [Fact]
    public void AddingOneVectorToEveryClassLeavesProbabilitiesUnchanged()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.0, -2, 0.5, 3, 0, 1 }, [2, 3]);
        var w = torch.tensor(new[] { 0.1, 0.2, -0.3, 0.5, -0.1, 0.0 }, [2, 3]);
        var b = torch.tensor(new[] { 0.0, 1 });
        var v = torch.tensor(new[] { 4.0, 1, -2 });
        var result = WorkedExamples.ShiftEveryClass(x, w, b, v, c: 0.5);
        // Logits move by x.v + c: 1*4 - 2*1 + 0.5*(-2) + 0.5 = 1.5 and 3*4 + 0 - 2 + 0.5 = 10.5.
        Assert.Equal(10.5, result.MaxLogitChange, 12);
        Assert.True(result.MaxProbabilityChange < 1e-15, $"{result.MaxProbabilityChange}");
    }

    [Fact]
    public void TwoClassSoftmaxRegressionTrainsExactlyAsLogisticRegressionAtTwiceTheRate()
    {
        using var scope = torch.NewDisposeScope();
        // Two overlapping clusters in 6 dimensions, labels by a fixed rule so the classes are learnable.
        var x = torch.tensor(Enumerable.Range(0, 60 * 6).Select(i => Math.Sin(i * 0.37) + (i % 6 == 0 ? 0.5 : 0)).ToArray(), [60, 6]);
        var labels = torch.tensor(Enumerable.Range(0, 60).Select(i => (long)(Math.Sin(i * 0.37 * 6) > 0 ? 1 : 0)).ToArray());
        var result = TwoClassEquivalence.Train(x.narrow(0, 0, 40), labels.narrow(0, 0, 40), x.narrow(0, 40, 20), labels.narrow(0, 40, 20), 50, 0.3);
        Assert.Equal(40, result.TrainExamples);
        Assert.Equal(20, result.TestExamples);
        Assert.True(result.MaxProbabilityDifference < 1e-13, $"{result.MaxProbabilityDifference}");
        Assert.True(result.MaxWeightDifference < 1e-13, $"{result.MaxWeightDifference}");
        Assert.Equal(result.SoftmaxTestAccuracy, result.LogisticTestAccuracy);
        Assert.True(result.MaxProbabilityDifferenceSameRate > 1e-3, "at equal rates the logistic regression should lag behind");
    }
}
