using TorchLoss.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Heads;

/// <summary>
/// Square loss on the raw logits (Hui and Belkin, ICLR 2021), with their optional rescaling for the true
/// class: weight k on the true class's term and target M for it, so with the half-sum convention
/// L = 1/2 [k (z_t - M)^2 + sum over other classes of z_c^2] and dL/dz_c = w_c (z_c - t_c).
/// k = M = 1 is the plain square loss. Predictions use softmax(z) for probabilities.
/// </summary>
public sealed class LogitSquaredErrorHead : OutputHead, IBuiltInHead
{
    /// <summary>The name the catalog, the CLI and run folders know this head by.</summary>
    public const string HeadName = "logit-mse";

    static int IBuiltInHead.ListPosition => 4;
    static OutputHead IBuiltInHead.Create(HeadOptions options) =>
        new LogitSquaredErrorHead(options.Reduction, options.TrueClassWeight, options.TrueClassTarget);
    FusedHead IBuiltInHead.FusedForm(long outputs) =>
        new(FusedLoss.LogitSquaredError, Reduction.Scale(outputs), TrueClassWeight, TrueClassTarget);

    public LogitSquaredErrorHead(SquaredErrorReduction reduction = SquaredErrorReduction.HalfSum, double trueClassWeight = 1,
        double trueClassTarget = 1, nn.Reduction batchReduction = nn.Reduction.Mean) : base(batchReduction)
    {
        if (!(trueClassWeight > 0)) throw new ArgumentOutOfRangeException(nameof(trueClassWeight), trueClassWeight, "the true-class weight k must be > 0");
        if (!(trueClassTarget > 0)) throw new ArgumentOutOfRangeException(nameof(trueClassTarget), trueClassTarget, "the true-class target M must be > 0");
        Reduction = reduction;
        TrueClassWeight = trueClassWeight;
        TrueClassTarget = trueClassTarget;
    }

    public SquaredErrorReduction Reduction { get; }
    public double TrueClassWeight { get; }
    public double TrueClassTarget { get; }

    public override string Name => HeadName;
    public override string Description => "square loss on logits";
    public override string Convention =>
        $"{Reduction.Describe().Replace("(a - y)", "w (z - t)")}; true class: weight k = {TrueClassWeight}, target M = {TrueClassTarget}";

    public override Tensor Activate(Tensor logits) => logits.alias();

    /// <summary>Softmax over several logits; with one output, z regresses the label scaled to 0 or M, so z/M
    /// clipped to [0, 1] estimates the probability of label 1.</summary>
    public override Tensor Probabilities(Tensor logits)
    {
        if (logits.size(1) > 1) return logits.softmax(1);
        using var scaled = logits / TrueClassTarget;
        return scaled.clamp(0, 1);
    }

    /// <summary>With one output the targets are 0 and M, so the boundary is M/2, not 0.</summary>
    public override Tensor Predict(Tensor logits)
    {
        if (logits.size(1) > 1) return base.Predict(logits);
        using var positive = logits.squeeze(1) > TrueClassTarget / 2;
        return positive.to_type(ScalarType.Int64);
    }

    public override Tensor ExampleLoss(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        var scale = Reduction.Scale(logits.size(1));
        return ((Weights(targets) * (logits - targets * TrueClassTarget).square()).sum(1) * scale).MoveToOuterDisposeScope();
    }

    public override Tensor LogitGradient(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        var scale = 2 * Reduction.Scale(logits.size(1));
        return (Weights(targets) * (logits - targets * TrueClassTarget) * scale).MoveToOuterDisposeScope();
    }

    /// <summary>w = 1 + (k - 1) y: k on the true class, 1 elsewhere.</summary>
    Tensor Weights(Tensor targets) => targets * (TrueClassWeight - 1) + 1;
}
