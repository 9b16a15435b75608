using TorchLoss.Torch.Fused;
using TorchLoss.Torch;

namespace TorchLoss.Heads;

/// <summary>Softmax + squared error: L = 1/2 sum (p - y)^2 (half-sum convention). Through the softmax
/// Jacobian J = diag(p) - p p^T, dL/dz = J^T (p - y) = p * ((p - y) - sum_i (p_i - y_i) p_i),
/// which vanishes as p saturates.</summary>
public sealed class SoftmaxSquaredErrorHead(SquaredErrorReduction reduction = SquaredErrorReduction.HalfSum) : OutputHead
{
    public SquaredErrorReduction Reduction { get; } = reduction;
    public override string Name => "softmax-mse";
    public override string Description => "softmax + squared error";
    public override string Convention => Reduction.Describe();
    public override int MinOutputs => 2;

    public override Tensor Activate(Tensor logits) => logits.Softmax(1);

    public override FusedHead Fused(long outputs) => new(FusedLoss.SoftmaxSquaredError, Reduction.Scale(outputs));

    public override Tensor ExampleLoss(Tensor logits, Tensor targets)
    {
        using var scope = DisposeScope.Enter();
        var scale = Reduction.Scale(logits.Size(1));
        return ((logits.Softmax(1) - targets).Square().Sum(1) * scale).MoveToOuterScope();
    }

    public override Tensor LogitGradient(Tensor logits, Tensor targets)
    {
        using var scope = DisposeScope.Enter();
        var scale = 2 * Reduction.Scale(logits.Size(1));
        var p = logits.Softmax(1);
        var error = p - targets;
        var projected = (error * p).Sum(1, keepDim: true);
        return (p * (error - projected) * scale).MoveToOuterScope();
    }
}
