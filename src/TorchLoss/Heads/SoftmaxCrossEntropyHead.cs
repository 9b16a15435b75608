using TorchLoss.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Heads;

/// <summary>Softmax + cross-entropy: L = -sum y log p, through log_softmax (stable for any logits);
/// dL/dz = p - y.</summary>
public sealed class SoftmaxCrossEntropyHead(nn.Reduction batchReduction = nn.Reduction.Mean) : OutputHead(batchReduction), IBuiltInHead
{
    /// <summary>The name the catalog, the CLI and run folders know this head by.</summary>
    public const string HeadName = "softmax-ce";

    static int IBuiltInHead.ListPosition => 0;
    static OutputHead IBuiltInHead.Create(HeadOptions options) => new SoftmaxCrossEntropyHead();
    FusedHead IBuiltInHead.FusedForm(long outputs) => new(FusedLoss.SoftmaxCrossEntropy);

    public override string Name => HeadName;
    public override string Description => "softmax + cross-entropy";
    public override string Convention => "-sum over classes of y log softmax(z), averaged over the batch";
    public override int MinOutputs => 2;

    public override Tensor Activate(Tensor logits) => logits.softmax(1);

    public override Tensor ExampleLoss(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        return (-(targets * logits.log_softmax(1)).sum(1)).MoveToOuterDisposeScope();
    }

    /// <summary>TorchSharp's <c>cross_entropy</c> (log_softmax and nll_loss) on the labels: the same value in two ops, and
    /// no one-hot targets.</summary>
    public override Tensor TrainingLoss(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);

    public override Tensor LogitGradient(Tensor logits, Tensor targets)
    {
        using var p = logits.softmax(1);
        return p - targets;
    }
}
