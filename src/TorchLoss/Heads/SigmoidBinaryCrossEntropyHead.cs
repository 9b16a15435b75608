using TorchLoss.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Heads;

/// <summary>One logistic unit per class with binary cross-entropy (the blog posts' logistic regression):
/// L = sum over classes of -[y log s + (1-y) log(1-s)], computed as softplus(z) - y z; dL/dz = s - y.</summary>
public sealed class SigmoidBinaryCrossEntropyHead(nn.Reduction batchReduction = nn.Reduction.Mean) : OutputHead(batchReduction), IBuiltInHead
{
    /// <summary>The name the catalog, the CLI and run folders know this head by.</summary>
    public const string HeadName = "sigmoid-bce";

    static int IBuiltInHead.ListPosition => 3;
    static OutputHead IBuiltInHead.Create(HeadOptions options) => new SigmoidBinaryCrossEntropyHead();
    FusedHead IBuiltInHead.FusedForm(long outputs) => new(FusedLoss.SigmoidBinaryCrossEntropy);

    public override string Name => HeadName;
    public override string Description => "sigmoid + binary cross-entropy";
    public override string Convention => "sum over classes of -[y log s + (1-y) log(1-s)], averaged over the batch";

    public override Tensor Activate(Tensor logits) => logits.sigmoid();

    public override Tensor ExampleLoss(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        // softplus(z) = max(z, 0) + log(1 + exp(-|z|)) never overflows. -|z| is written z - 2 max(z, 0): autograd takes
        // the derivative of |z| at 0 as 0, which made dL/dz at z = 0 exactly -y instead of 1/2 - y (e.g. at a zero init).
        var relu = logits.relu();
        var softplus = relu + (logits - 2 * relu).exp().log1p();
        return (softplus - targets * logits).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>TorchSharp's <c>binary_cross_entropy_with_logits</c> summed over classes and averaged over the batch: the same
    /// value, and its backward is s - y in closed form (so also right at z = 0).</summary>
    public override Tensor TrainingLoss(Tensor logits, Tensor labels)
    {
        using var targets = Targets(labels, logits.size(1), logits.dtype);
        using var sum = nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.Sum);
        return sum / logits.size(0);
    }

    public override Tensor LogitGradient(Tensor logits, Tensor targets)
    {
        using var s = logits.sigmoid();
        return s - targets;
    }
}
