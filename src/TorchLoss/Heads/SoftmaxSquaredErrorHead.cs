using TorchLoss.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Heads;

/// <summary>Softmax + squared error: L = 1/2 sum (p - y)^2 (half-sum convention). Through the softmax
/// Jacobian J = diag(p) - p p^T, dL/dz = J^T (p - y) = p * ((p - y) - sum_i (p_i - y_i) p_i),
/// which vanishes as p saturates.</summary>
public sealed class SoftmaxSquaredErrorHead(SquaredErrorReduction reduction = SquaredErrorReduction.HalfSum,
    nn.Reduction batchReduction = nn.Reduction.Mean) : OutputHead(batchReduction), IBuiltInHead
{
    /// <summary>The name the catalog, the CLI and run folders know this head by.</summary>
    public const string HeadName = "softmax-mse";

    static int IBuiltInHead.ListPosition => 1;
    static OutputHead IBuiltInHead.Create(HeadOptions options) => new SoftmaxSquaredErrorHead(options.Reduction);
    FusedHead IBuiltInHead.FusedForm(long outputs) => new(FusedLoss.SoftmaxSquaredError, Reduction.Scale(outputs));

    public SquaredErrorReduction Reduction { get; } = reduction;
    public override string Name => HeadName;
    public override string Description => "softmax + squared error";
    public override string Convention => Reduction.Describe();
    public override int MinOutputs => 2;

    public override Tensor Activate(Tensor logits) => logits.softmax(1);

    public override Tensor ExampleLoss(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        var scale = Reduction.Scale(logits.size(1));
        return ((logits.softmax(1) - targets).square().sum(1) * scale).MoveToOuterDisposeScope();
    }

    public override Tensor LogitGradient(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        var scale = 2 * Reduction.Scale(logits.size(1));
        var p = logits.softmax(1);
        var error = p - targets;
        var projected = (error * p).sum(1, keepdim: true);
        return (p * (error - projected) * scale).MoveToOuterDisposeScope();
    }
}
