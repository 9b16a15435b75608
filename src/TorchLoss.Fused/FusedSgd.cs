namespace TorchLoss.Fused;

/// <summary>PyTorch's SGD settings, applied by the fused step after computing the gradients:
/// d = g + WeightDecay w; with momentum, b = Momentum b + (1 - Dampening) d (b = d on the first step) and
/// d = Nesterov ? d + Momentum b : b; then w -= LearningRate d.</summary>
/// <param name="LearningRate">Step size, at least 0.</param>
/// <param name="Momentum">Momentum factor, at least 0; 0 means no momentum buffers.</param>
/// <param name="Dampening">Dampening of the momentum.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient, at least 0.</param>
/// <param name="Nesterov">Nesterov momentum (needs a momentum above 0 and no dampening, as in PyTorch).</param>
public sealed record FusedSgd(double LearningRate, double Momentum, double Dampening, double WeightDecay, bool Nesterov)
{
    /// <summary>Why these settings are invalid (PyTorch's rules), or null.</summary>
    internal string? Invalid()
    {
        if (!double.IsFinite(LearningRate) || LearningRate < 0) return $"invalid learning rate {LearningRate}";
        if (!double.IsFinite(Momentum) || Momentum < 0) return $"invalid momentum {Momentum}";
        if (!double.IsFinite(Dampening)) return $"invalid dampening {Dampening}";
        if (!double.IsFinite(WeightDecay) || WeightDecay < 0) return $"invalid weight decay {WeightDecay}";
        if (Nesterov && (Momentum <= 0 || Dampening != 0)) return "Nesterov momentum needs a momentum above 0 and no dampening";
        return null;
    }
}
