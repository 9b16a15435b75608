using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Heads;

/// <summary>
/// A classifier's output head as a TorchSharp loss: <c>forward(logits, labels)</c> takes the logits [B, C] and int64
/// class labels [B] and returns the loss with the head's reduction (the mean over the batch by default). Beside it
/// stand the head's activation, its per-example loss, its prediction rule and its gradient dL/dz derived by hand.
/// With one output unit the head is binary: the target is the label itself (0 or 1) and z &gt; 0 predicts 1.
/// </summary>
public abstract class OutputHead : Loss<Tensor, Tensor, Tensor>
{
    protected OutputHead(nn.Reduction reduction = nn.Reduction.Mean) : base(reduction) { }

    /// <summary>Catalog name, e.g. "softmax-ce".</summary>
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

    /// <summary>The loss of int64 <paramref name="labels"/> with this head's reduction.</summary>
    public override Tensor forward(Tensor logits, Tensor labels)
    {
        if (logits.dim() != 2) throw new ArgumentException($"logits must be [batch, outputs], not [{string.Join(", ", logits.shape)}]", nameof(logits));
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.size(0) != logits.size(0))
            throw new ArgumentException($"labels must be int64 [batch] with batch {logits.size(0)}", nameof(labels));
        using var scope = torch.NewDisposeScope();
        var perExample = ExampleLoss(logits, Targets(labels, logits.size(1), logits.dtype));
        var reduced = reduction switch
        {
            nn.Reduction.Mean => perExample.mean(),
            nn.Reduction.Sum => perExample.sum(),
            _ => perExample,
        };
        return reduced.MoveToOuterDisposeScope();
    }

    /// <summary>Mean over the batch of the per-example loss, for targets as produced by <see cref="Targets"/>.</summary>
    public Tensor MeanLoss(Tensor logits, Tensor targets)
    {
        using var perExample = ExampleLoss(logits, targets);
        return perExample.mean();
    }

    /// <summary>The batch-mean loss of int64 <paramref name="labels"/> for training: <see cref="MeanLoss"/> of their
    /// <see cref="Targets"/>. A head overrides it with a fused TorchSharp built-in of the same value where one exists,
    /// which dispatches fewer ops in each step and its backward.</summary>
    public virtual Tensor TrainingLoss(Tensor logits, Tensor labels)
    {
        using var targets = Targets(labels, logits.size(1), logits.dtype);
        return MeanLoss(logits, targets);
    }

    /// <summary>Class probabilities used for the true-class probability and the saturation statistics.
    /// Defaults to the activation; heads on raw logits use softmax.</summary>
    public virtual Tensor Probabilities(Tensor logits) => Activate(logits);

    /// <summary>Targets for int64 labels: one-hot rows of the logits' dtype, or the label itself for one output.</summary>
    public static Tensor Targets(Tensor labels, long outputs, ScalarType dtype)
    {
        if (outputs == 1)
        {
            using var asFloat = labels.to_type(dtype);
            return asFloat.unsqueeze(1);
        }
        using var oneHot = nn.functional.one_hot(labels, outputs);
        return oneHot.to_type(dtype);
    }

    /// <summary>Predicted class per example.</summary>
    public virtual Tensor Predict(Tensor logits)
    {
        if (logits.size(1) > 1) return logits.argmax(1);
        using var positive = logits.squeeze(1) > 0;
        return positive.to_type(ScalarType.Int64);
    }

    public override string ToString() => Name;
}
