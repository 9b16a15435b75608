using TorchLoss.Gradients;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Analysis;

/// <param name="MaxProbabilityDifference">max over test examples of |p_softmax(class 1) - sigmoid(z_logistic)|.</param>
/// <param name="MaxWeightDifference">max |(w_1 - w_0, b_1 - b_0) - (w, b)|.</param>
/// <param name="MaxProbabilityDifferenceSameRate">the same, for a logistic regression trained at the softmax's rate.</param>
public sealed record TwoClassEquivalenceResult(
    int TrainExamples, int TestExamples, int Steps, double LearningRate,
    double MaxProbabilityDifference, double MaxWeightDifference, double SoftmaxTestAccuracy, double LogisticTestAccuracy,
    double MaxProbabilityDifferenceSameRate);

/// <summary>
/// A 2-class softmax regression is a logistic regression with weights w_1 - w_0: p_1 = e^z1 / (e^z0 + e^z1) =
/// sigmoid(z1 - z0). Training keeps them equal too: the softmax's gradient moves w_1 by -(p_1 - y) x and w_0 by
/// +(p_1 - y) x, so w_1 - w_0 moves twice as far as a logistic regression's w at the same rate. Both start at zero and
/// take full-batch gradient-descent steps with the heads' closed-form gradients, the logistic one at twice the rate.
/// </summary>
public static class TwoClassEquivalence
{
    /// <param name="trainLabels">int64 labels 0 or 1.</param>
    /// <param name="testLabels">int64 labels 0 or 1.</param>
    public static TwoClassEquivalenceResult Train(Tensor trainX, Tensor trainLabels, Tensor testX, Tensor testLabels, int steps, double learningRate)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1");
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive");
        using var scope = torch.NewDisposeScope();
        var x = trainX.to_type(ScalarType.Float64);
        var test = testX.to_type(ScalarType.Float64);
        var features = x.size(1);
        var softmax = new SoftmaxCrossEntropyHead();
        var logistic = new SigmoidBinaryCrossEntropyHead();
        var (softmaxW, softmaxB) = (torch.zeros([2, features], ScalarType.Float64), torch.zeros([2], ScalarType.Float64));
        var (logisticW, logisticB) = (torch.zeros([1, features], ScalarType.Float64), torch.zeros([1], ScalarType.Float64));
        var (sameRateW, sameRateB) = (torch.zeros([1, features], ScalarType.Float64), torch.zeros([1], ScalarType.Float64));
        var softmaxTargets = OutputHead.Targets(trainLabels, 2, ScalarType.Float64);
        var logisticTargets = OutputHead.Targets(trainLabels, 1, ScalarType.Float64);
        for (var step = 0; step < steps; step++)
        {
            Descend(softmax, x, softmaxTargets, softmaxW, softmaxB, learningRate);
            Descend(logistic, x, logisticTargets, logisticW, logisticB, 2 * learningRate);
            Descend(logistic, x, logisticTargets, sameRateW, sameRateB, learningRate);
        }

        var softmaxP = nn.functional.linear(test, softmaxW, softmaxB).softmax(1).select(1, 1);
        var logisticP = nn.functional.linear(test, logisticW, logisticB).sigmoid().squeeze(1);
        var sameRateP = nn.functional.linear(test, sameRateW, sameRateB).sigmoid().squeeze(1);
        var weightGap = (softmaxW[1] - softmaxW[0] - logisticW[0]).abs().max().ToDouble();
        var biasGap = Math.Abs((softmaxB[1] - softmaxB[0] - logisticB[0]).ToDouble());
        return new TwoClassEquivalenceResult((int)x.size(0), (int)test.size(0), steps, learningRate,
            (softmaxP - logisticP).abs().max().ToDouble(), Math.Max(weightGap, biasGap),
            Accuracy(softmaxP, testLabels), Accuracy(logisticP, testLabels), (softmaxP - sameRateP).abs().max().ToDouble());
    }

    static void Descend(OutputHead head, Tensor x, Tensor targets, Tensor weight, Tensor bias, double learningRate)
    {
        using var scope = torch.NewDisposeScope();
        var logits = nn.functional.linear(x, weight, bias);
        var delta = head.LogitGradient(logits, targets) / x.size(0);
        weight.sub_(LinearLayerGradients.Weight(delta, x) * learningRate);
        bias.sub_(LinearLayerGradients.Bias(delta) * learningRate);
    }

    static double Accuracy(Tensor positiveProbability, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        return (positiveProbability > 0.5).to_type(ScalarType.Int64).eq(labels).to_type(ScalarType.Float64).mean().ToDouble();
    }
}
