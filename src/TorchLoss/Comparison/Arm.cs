using TorchLoss.Heads;
using TorchLoss.Models;

namespace TorchLoss.Comparison;

public enum ArmKind
{
    /// <summary>The head trained from PyTorch's default initialisation.</summary>
    RandomInit,
    /// <summary>Starting from the cross-entropy arm's final weights, more epochs with this head (Golik's recipe; with
    /// <see cref="SoftmaxCrossEntropyHead"/> itself it is the control: the same extra epochs without switching criterion).</summary>
    FineTune,
    /// <summary>The head from random weights multiplied by an init scale.</summary>
    InitScale,
}

/// <summary>One configuration of the study, trained once per seed.</summary>
public sealed record Arm(ArmKind Kind, string Model, string Head, double InitScale = 1)
{
    public string ModelLabel => ModelSpec.Parse(Model).Kind == ModelKind.Linear ? "softmax regression" : $"MLP {Model[4..]}";

    /// <summary>Folder-safe name, e.g. "mlp-256-256_softmax-ce", "linear_ce-then-sigmoid-mse", "mlp-256-256_sigmoid-mse_scale-4".</summary>
    public string Name => Kind switch
    {
        ArmKind.RandomInit => $"{ModelSlug}_{Head}",
        ArmKind.FineTune => $"{ModelSlug}_ce-then-{Head}",
        _ => $"{ModelSlug}_{Head}_scale-{InitScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
    };

    /// <summary>Readable label for tables and legends.</summary>
    public string Label => Kind switch
    {
        ArmKind.RandomInit => Head,
        ArmKind.FineTune => Head == SoftmaxCrossEntropyHead.HeadName ? "CE, continued (control)" : $"CE, then {Head}",
        _ => $"{Head}, init ×{InitScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
    };

    string ModelSlug => Model.Replace(':', '-').Replace(',', '-');
}
