using TorchLoss.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Fused;

/// <summary>
/// Each fused head written with plain TorchSharp ops, for autograd to differentiate: the per-example loss, the
/// probabilities the statistics are taken from, and the prediction. With one output the target is the label itself.
/// </summary>
internal static class ReferenceHeads
{
    /// <summary>Heads by name; "/C" scales squared errors by 1/C instead of 1/2. The logit square loss uses k = 3, M = 2.</summary>
    public static FusedHead Create(string name, int outputs) => name switch
    {
        "softmax-ce" => new FusedHead(FusedLoss.SoftmaxCrossEntropy),
        "softmax-mse" => new FusedHead(FusedLoss.SoftmaxSquaredError),
        "softmax-mse/C" => new FusedHead(FusedLoss.SoftmaxSquaredError, 1.0 / outputs),
        "sigmoid-mse" => new FusedHead(FusedLoss.SigmoidSquaredError),
        "sigmoid-mse/C" => new FusedHead(FusedLoss.SigmoidSquaredError, 1.0 / outputs),
        "sigmoid-bce" => new FusedHead(FusedLoss.SigmoidBinaryCrossEntropy),
        "logit-mse" => new FusedHead(FusedLoss.LogitSquaredError, 0.5, TrueClassWeight: 3, TrueClassTarget: 2),
        "logit-mse/C" => new FusedHead(FusedLoss.LogitSquaredError, 1.0 / outputs, TrueClassWeight: 3, TrueClassTarget: 2),
        _ => throw new ArgumentException($"unknown head {name}", nameof(name)),
    };

    public static readonly string[] Names =
        ["softmax-ce", "softmax-mse", "softmax-mse/C", "sigmoid-mse", "sigmoid-mse/C", "sigmoid-bce", "logit-mse", "logit-mse/C"];

    /// <summary>The heads that also take a single output (a binary task).</summary>
    public static readonly string[] BinaryNames = ["sigmoid-mse", "sigmoid-bce", "logit-mse"];

    static Tensor Target(Tensor z, Tensor y) =>
        z.shape[1] == 1 ? y.to(z.dtype).unsqueeze(1) : nn.functional.one_hot(y, z.shape[1]).to(z.dtype);

    /// <summary>Per-example losses [batch] of logits <paramref name="z"/> [batch, C].</summary>
    public static Tensor Loss(FusedHead head, Tensor z, Tensor y)
    {
        var t = Target(z, y);
        return head.Loss switch
        {
            FusedLoss.SoftmaxCrossEntropy => z.logsumexp(1) - z.gather(1, y.unsqueeze(1)).squeeze(1),
            FusedLoss.SoftmaxSquaredError => (z.softmax(1) - t).square().sum(1) * head.SquaredErrorScale,
            FusedLoss.SigmoidSquaredError => (z.sigmoid() - t).square().sum(1) * head.SquaredErrorScale,
            FusedLoss.SigmoidBinaryCrossEntropy => nn.functional.binary_cross_entropy_with_logits(z, t, reduction: nn.Reduction.None).sum(1),
            FusedLoss.LogitSquaredError =>
                ((t * (head.TrueClassWeight - 1) + 1) * (z - t * head.TrueClassTarget).square()).sum(1) * head.SquaredErrorScale,
            _ => throw new ArgumentException($"unknown loss {head.Loss}", nameof(head)),
        };
    }

    /// <summary>The probabilities the saturation and true-class statistics use.</summary>
    public static Tensor Probabilities(FusedHead head, Tensor z) => head.Loss switch
    {
        FusedLoss.SoftmaxCrossEntropy or FusedLoss.SoftmaxSquaredError => z.softmax(1),
        FusedLoss.LogitSquaredError when z.shape[1] > 1 => z.softmax(1),
        FusedLoss.LogitSquaredError => (z / head.TrueClassTarget).clamp(0, 1),
        _ => z.sigmoid(),
    };

    /// <summary>Predicted labels: the largest logit, or with one output 1 above the boundary (M/2 for the logit square loss, else 0).</summary>
    public static Tensor Predictions(FusedHead head, Tensor z) => z.shape[1] == 1
        ? z.squeeze(1).gt(head.Loss == FusedLoss.LogitSquaredError ? head.TrueClassTarget / 2 : 0).to(ScalarType.Int64)
        : z.argmax(1);
}
