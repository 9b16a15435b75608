using TorchLoss.Heads;
using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Analysis;

/// <summary>The losses of one probability vector against a one-hot target, under each convention.</summary>
/// <param name="CrossEntropy">-sum y ln p, in nats.</param>
/// <param name="HalfSumSquaredError">1/2 sum (p - y)^2, the product's default.</param>
/// <param name="MeanSquaredError">1/C sum (p - y)^2 (mean over classes).</param>
/// <param name="SumOfSquares">sum (p - y)^2, the convention with neither factor.</param>
public sealed record PredictionLosses(IReadOnlyList<double> Prediction, double CrossEntropy, double HalfSumSquaredError,
    double MeanSquaredError, double SumOfSquares);

/// <summary>Softmax of large logits: the textbook formula exp(z) / sum exp(z) against the stable one that subtracts max z first.</summary>
public sealed record SoftmaxOverflow(IReadOnlyList<double> Logits, IReadOnlyList<double> Naive, IReadOnlyList<double> Stable,
    IReadOnlyList<double> Library)
{
    public bool NaiveOverflows => Naive.Any(p => !double.IsFinite(p));
    public bool StableIsFinite => Stable.All(double.IsFinite) && Library.All(double.IsFinite);
    public double StableVersusLibrary => Stable.Zip(Library, (a, b) => Math.Abs(a - b)).Max();
}

/// <summary>Softmax regression before and after adding one vector v to every class's weight row (and c to every bias).</summary>
public sealed record ShiftedWeights(double MaxLogitChange, double MaxProbabilityChange);

/// <summary>Worked numbers for readers of the blog posts the analyses follow, computed with the product's heads and tensors.</summary>
public static class WorkedExamples
{
    /// <summary>Through the softmax heads with logits ln p, whose softmax is p itself when p sums to 1.</summary>
    public static PredictionLosses Losses(IReadOnlyList<double> target, IReadOnlyList<double> prediction)
    {
        if (target.Count != prediction.Count) throw new ArgumentException("target and prediction need the same length");
        if (Math.Abs(prediction.Sum() - 1) > 1e-12 || prediction.Any(p => !(p > 0)))
            throw new ArgumentException("a prediction must be positive probabilities summing to 1");
        using var scope = torch.NewDisposeScope();
        var logits = ArrayTensors.Float64(prediction.ToArray(), [1, prediction.Count]).log();
        var y = ArrayTensors.Float64(target.ToArray(), [1, target.Count]);
        double Loss(OutputHead head) => head.ExampleLoss(logits, y).ToDouble();
        var halfSum = Loss(new SoftmaxSquaredErrorHead(SquaredErrorReduction.HalfSum));
        return new PredictionLosses(prediction, Loss(new SoftmaxCrossEntropyHead()), halfSum,
            Loss(new SoftmaxSquaredErrorHead(SquaredErrorReduction.MeanOverClasses)), 2 * halfSum);
    }

    public static IReadOnlyList<double> Softmax(IReadOnlyList<double> logits)
    {
        using var scope = torch.NewDisposeScope();
        return ArrayTensors.Float64(logits.ToArray(), [1, logits.Count]).softmax(1).data<double>().ToArray();
    }

    public static SoftmaxOverflow Overflow(IReadOnlyList<double> logits)
    {
        using var scope = torch.NewDisposeScope();
        var z = ArrayTensors.Float64(logits.ToArray(), [1, logits.Count]);
        var exp = z.exp();
        var naive = exp / exp.sum(1, keepdim: true);
        var max = z.max(1, keepdim: true).values;
        var shifted = (z - max).exp();
        var stable = shifted / shifted.sum(1, keepdim: true);
        return new SoftmaxOverflow(logits, naive.data<double>().ToArray(), stable.data<double>().ToArray(), z.softmax(1).data<double>().ToArray());
    }

    /// <summary>z = x W^T + b against x (W + 1 v^T)^T + (b + c): every logit of an example moves by the same x.v + c.</summary>
    public static ShiftedWeights ShiftEveryClass(Tensor x, Tensor weight, Tensor bias, Tensor v, double c)
    {
        using var scope = torch.NewDisposeScope();
        var before = nn.functional.linear(x, weight, bias);
        var after = nn.functional.linear(x, weight + v.unsqueeze(0), bias + c);
        return new ShiftedWeights((after - before).abs().max().ToDouble(), (after.softmax(1) - before.softmax(1)).abs().max().ToDouble());
    }
}
