namespace TorchLoss.Heads;

/// <summary>Settings that some heads read; each head ignores what it does not use.</summary>
public sealed record HeadOptions(
    SquaredErrorReduction Reduction = SquaredErrorReduction.HalfSum,
    double TrueClassWeight = 1,
    double TrueClassTarget = 1);
