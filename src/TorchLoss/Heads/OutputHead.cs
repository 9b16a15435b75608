using TorchLoss.Torch.Fused;
using TorchLoss.Torch;

namespace TorchLoss.Heads;

/// <summary>
/// A classifier's output head: the activation applied to the logits z, the criterion, and the criterion's
/// gradient with respect to z derived by hand. Losses are per example and averaged over the batch.
/// With one output unit the head is binary: the target is the label itself (0 or 1) and z &gt; 0 predicts 1.
/// </summary>
public abstract class OutputHead
{
    /// <summary>Registry name, e.g. "softmax-ce".</summary>
    public abstract string Name { get; }

    /// <summary>Human description, e.g. "softmax + cross-entropy".</summary>
    public abstract string Description { get; }

    /// <summary>The loss convention in words, written into configs and reports.</summary>
    public virtual string Convention => "mean over the batch of the per-example loss";

    /// <summary>Smallest number of output units the head supports.</summary>
    public virtual int MinOutputs => 1;

    /// <summary>The head's output activation a = f(z) (probabilities for softmax and sigmoid heads).</summary>
    public abstract Tensor Activate(Tensor logits);

    /// <summary>Per-example loss, shape [B], for targets as produced by <see cref="Targets"/>.</summary>
    public abstract Tensor ExampleLoss(Tensor logits, Tensor targets);

    /// <summary>Closed-form dL_i/dz_i of each example's own loss, shape [B, C], computed without autograd.</summary>
    public abstract Tensor LogitGradient(Tensor logits, Tensor targets);

    /// <summary>Mean loss over the batch.</summary>
    public Tensor Loss(Tensor logits, Tensor targets) => ExampleLoss(logits, targets).Mean();

    /// <summary>Class probabilities used for the true-class probability and the saturation statistics.
    /// Defaults to the activation; heads on raw logits use softmax.</summary>
    public virtual Tensor Probabilities(Tensor logits) => Activate(logits);

    /// <summary>Targets for int64 labels: one-hot rows of the logits' dtype, or the label itself for one output.</summary>
    public Tensor Targets(Tensor labels, long outputs, DType dtype)
    {
        if (outputs == 1)
        {
            using var asFloat = labels.To(dtype);
            return asFloat.Unsqueeze(1);
        }
        using var oneHot = labels.OneHot(outputs);
        return oneHot.To(dtype);
    }

    /// <summary>Predicted class per example.</summary>
    public virtual Tensor Predict(Tensor logits)
    {
        if (logits.Size(1) > 1) return logits.Argmax(1);
        using var positive = logits.Squeeze(1) > 0;
        return positive.To(DType.Int64);
    }

    /// <summary>The head in the form the fused native step computes, for a layer of <paramref name="outputs"/> units;
    /// null when it has none (the step then runs through autograd).</summary>
    public virtual FusedHead? Fused(long outputs) => null;

    public override string ToString() => Name;
}
