using TorchLoss.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Heads;

/// <summary>Sigmoid + squared error: with the half-sum convention L = 1/2 sum (s - y)^2 and
/// dL/dz = (s - y) s (1 - s), which vanishes when s saturates at 0 or 1, right or wrong.</summary>
public sealed class SigmoidSquaredErrorHead(SquaredErrorReduction reduction = SquaredErrorReduction.HalfSum,
    nn.Reduction batchReduction = nn.Reduction.Mean) : OutputHead(batchReduction), IBuiltInHead
{
    /// <summary>The name the catalog, the CLI and run folders know this head by.</summary>
    public const string HeadName = "sigmoid-mse";

    static int IBuiltInHead.ListPosition => 2;
    static OutputHead IBuiltInHead.Create(HeadOptions options) => new SigmoidSquaredErrorHead(options.Reduction);
    FusedHead IBuiltInHead.FusedForm(long outputs) => new(FusedLoss.SigmoidSquaredError, Reduction.Scale(outputs));

    public SquaredErrorReduction Reduction { get; } = reduction;
    public override string Name => HeadName;
    public override string Description => "sigmoid + squared error";
    public override string Convention => Reduction.Describe();

    public override Tensor Activate(Tensor logits) => logits.sigmoid();

    public override Tensor ExampleLoss(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        var scale = Reduction.Scale(logits.size(1));
        return ((logits.sigmoid() - targets).square().sum(1) * scale).MoveToOuterDisposeScope();
    }

    public override Tensor LogitGradient(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        var scale = 2 * Reduction.Scale(logits.size(1));
        var s = logits.sigmoid();
        return ((s - targets) * s * (1 - s) * scale).MoveToOuterDisposeScope();
    }
}
