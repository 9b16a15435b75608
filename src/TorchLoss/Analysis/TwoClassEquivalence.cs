using TorchLoss.Gradients;
using TorchLoss.Heads;
using TorchLoss.Torch;

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
    /// <param name="labels">int64 labels 0 or 1.</param>
    public static TwoClassEquivalenceResult Train(Tensor trainX, Tensor trainLabels, Tensor testX, Tensor testLabels, int steps, double learningRate)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1");
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive");
        using var scope = DisposeScope.Enter();
        var x = trainX.To(DType.Float64);
        var test = testX.To(DType.Float64);
        var features = x.Size(1);
        var softmax = new SoftmaxCrossEntropyHead();
        var logistic = new SigmoidBinaryCrossEntropyHead();
        var (softmaxW, softmaxB) = (Tensor.Zeros([2, features], DType.Float64), Tensor.Zeros([2], DType.Float64));
        var (logisticW, logisticB) = (Tensor.Zeros([1, features], DType.Float64), Tensor.Zeros([1], DType.Float64));
        var (sameRateW, sameRateB) = (Tensor.Zeros([1, features], DType.Float64), Tensor.Zeros([1], DType.Float64));
        var softmaxTargets = softmax.Targets(trainLabels, 2, DType.Float64);
        var logisticTargets = logistic.Targets(trainLabels, 1, DType.Float64);
        for (var step = 0; step < steps; step++)
        {
            Descend(softmax, x, softmaxTargets, softmaxW, softmaxB, learningRate);
            Descend(logistic, x, logisticTargets, logisticW, logisticB, 2 * learningRate);
            Descend(logistic, x, logisticTargets, sameRateW, sameRateB, learningRate);
        }

        var softmaxP = Tensor.Linear(test, softmaxW, softmaxB).Softmax(1).Select(1, 1);
        var logisticP = Tensor.Linear(test, logisticW, logisticB).Sigmoid().Squeeze(1);
        var sameRateP = Tensor.Linear(test, sameRateW, sameRateB).Sigmoid().Squeeze(1);
        var weightGap = (softmaxW[1] - softmaxW[0] - logisticW[0]).Abs().Max().Item();
        var biasGap = Math.Abs((softmaxB[1] - softmaxB[0] - logisticB[0]).Item());
        return new TwoClassEquivalenceResult((int)x.Size(0), (int)test.Size(0), steps, learningRate,
            (softmaxP - logisticP).Abs().Max().Item(), Math.Max(weightGap, biasGap),
            Accuracy(softmaxP, testLabels), Accuracy(logisticP, testLabels), (softmaxP - sameRateP).Abs().Max().Item());
    }

    static void Descend(OutputHead head, Tensor x, Tensor targets, Tensor weight, Tensor bias, double learningRate)
    {
        using var scope = DisposeScope.Enter();
        var logits = Tensor.Linear(x, weight, bias);
        var delta = head.LogitGradient(logits, targets) / x.Size(0);
        weight.Sub_(LinearLayerGradients.Weight(delta, x) * learningRate);
        bias.Sub_(LinearLayerGradients.Bias(delta) * learningRate);
    }

    static double Accuracy(Tensor positiveProbability, Tensor labels)
    {
        using var scope = DisposeScope.Enter();
        return (positiveProbability > 0.5).To(DType.Int64).Eq(labels).To(DType.Float64).Mean().Item();
    }
}
