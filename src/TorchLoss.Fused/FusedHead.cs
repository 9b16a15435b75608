namespace TorchLoss.Fused;

/// <summary>Output heads the fused step computes natively (codes mirror TLF_HEAD_* in torchloss_fused.h).</summary>
public enum FusedLoss
{
    /// <summary>Softmax and cross-entropy.</summary>
    SoftmaxCrossEntropy = 0,
    /// <summary>Softmax and squared error against the one-hot target.</summary>
    SoftmaxSquaredError = 1,
    /// <summary>Sigmoid per output and squared error against the one-hot target (the label itself with one output).</summary>
    SigmoidSquaredError = 2,
    /// <summary>Sigmoid per output and binary cross-entropy, computed from the logits.</summary>
    SigmoidBinaryCrossEntropy = 3,
    /// <summary>Squared error on the logits against M times the one-hot target, the true class's term weighted by k.</summary>
    LogitSquaredError = 4,
}

/// <summary>A head as the fused step needs it: the loss, the factor on the per-example sum of squares (1/2 or 1/C),
/// and for the square loss on logits the true class's weight k and target M.</summary>
/// <param name="Loss">Which loss.</param>
/// <param name="SquaredErrorScale">Factor on the per-example sum of squared errors: 1/2 (half sum) or 1/C (mean over classes).</param>
/// <param name="TrueClassWeight">Logit square loss: the weight k of the true class's term.</param>
/// <param name="TrueClassTarget">Logit square loss: the target M of the true class's logit (not 0).</param>
public sealed record FusedHead(FusedLoss Loss, double SquaredErrorScale = 0.5, double TrueClassWeight = 1, double TrueClassTarget = 1);
