namespace TorchLoss.Torch.Fused;

/// <summary>Output heads the fused step computes natively (codes mirror TL_HEAD_* in the shim).</summary>
public enum FusedLoss
{
    SoftmaxCrossEntropy = 0,
    SoftmaxSquaredError = 1,
    SigmoidSquaredError = 2,
    SigmoidBinaryCrossEntropy = 3,
    LogitSquaredError = 4,
}

/// <summary>Hidden-unit activations the fused step supports (codes mirror TL_ACTIVATION_*).</summary>
public enum FusedActivation
{
    Identity = 0,
    Sigmoid = 1,
    Tanh = 2,
    ReLU = 3,
}

/// <summary>A head as the fused step needs it: the loss, the factor on the per-example sum of squares (1/2 or 1/C),
/// and for the square loss on logits the true class's weight k and target M.</summary>
public sealed record FusedHead(FusedLoss Loss, double SquaredErrorScale = 0.5, double TrueClassWeight = 1, double TrueClassTarget = 1);

/// <summary>PyTorch's SGD settings, applied by the fused step after computing the gradients.</summary>
public sealed record FusedSgd(double LearningRate, double Momentum, double Dampening, double WeightDecay, bool Nesterov);
