using TorchLoss.Torch.Fused;
using TorchLoss.Torch;

namespace TorchLoss.Heads;

/// <summary>Softmax + cross-entropy: L = -sum y log p, through log_softmax (stable for any logits);
/// dL/dz = p - y.</summary>
public sealed class SoftmaxCrossEntropyHead : OutputHead
{
    public override string Name => "softmax-ce";
    public override string Description => "softmax + cross-entropy";
    public override string Convention => "-sum over classes of y log softmax(z), averaged over the batch";
    public override int MinOutputs => 2;

    public override Tensor Activate(Tensor logits) => logits.Softmax(1);

    public override FusedHead Fused(long outputs) => new(FusedLoss.SoftmaxCrossEntropy);

    public override Tensor ExampleLoss(Tensor logits, Tensor targets)
    {
        using var scope = DisposeScope.Enter();
        return (-(targets * logits.LogSoftmax(1)).Sum(1)).MoveToOuterScope();
    }

    public override Tensor LogitGradient(Tensor logits, Tensor targets)
    {
        using var p = logits.Softmax(1);
        return p - targets;
    }
}
