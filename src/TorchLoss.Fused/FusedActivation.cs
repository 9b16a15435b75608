namespace TorchLoss.Fused;

/// <summary>Hidden-unit activations the fused step supports (codes mirror TLF_ACTIVATION_* in torchloss_fused.h).</summary>
public enum FusedActivation
{
    /// <summary>No activation: a model of a single linear layer.</summary>
    Identity = 0,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid = 1,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 2,
    /// <summary>max(0, z); NaN passes through as in libtorch.</summary>
    ReLU = 3,
}
