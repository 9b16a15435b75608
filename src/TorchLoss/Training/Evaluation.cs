using TorchLoss.Data;
using TorchLoss.Heads;
using TorchLoss.Torch;
using TorchLoss.Torch.Fused;
using TorchLoss.Torch.NN;

namespace TorchLoss.Training;

/// <summary>Loss and accuracy of a model on one split.</summary>
public sealed record SplitScore(double Loss, double Accuracy)
{
    public double Error => 1 - Accuracy;
}

public static class Evaluation
{
    const int BatchSize = 1000;

    /// <summary>Forward passes without gradients; sums stay on the device until the single read at the end.
    /// Null for an empty split.</summary>
    public static SplitScore? Score(Module model, OutputHead head, TensorSplit split, DType dtype)
    {
        if (split.Count == 0) return null;
        using var noGrad = Autograd.NoGrad();
        using var scope = DisposeScope.Enter();
        Tensor? lossSum = null, correct = null;
        using var batches = split.Batches(BatchSize);
        for (var i = 0; i < batches.Count; i++)
        {
            using var step = DisposeScope.Enter();
            var batch = batches[i];
            var logits = model.Forward(batch.X);
            var targets = head.Targets(batch.Y, logits.Size(1), dtype);
            var batchLoss = head.ExampleLoss(logits, targets).Sum().To(DType.Float64);
            var batchCorrect = head.Predict(logits).Eq(batch.Y).Sum();
            if (lossSum is null)
            {
                lossSum = batchLoss.MoveToOuterScope();
                correct = batchCorrect.MoveToOuterScope();
            }
            else
            {
                lossSum.Add_(batchLoss);
                correct!.Add_(batchCorrect);
            }
        }
        // One read of both sums: a single device synchronisation.
        using var both = Tensor.Stack([lossSum!, correct!.To(DType.Float64)]);
        var values = both.ToArray<double>();
        return new SplitScore(values[0] / split.Count, values[1] / split.Count);
    }

    /// <summary>The same scores from the fused step's forward pass (CPU; its work split over the intra-op threads).</summary>
    public static SplitScore? Score(FusedMlp mlp, TensorSplit split)
    {
        if (split.Count == 0) return null;
        double lossSum = 0, correct = 0;
        using var batches = split.Batches(BatchSize);
        for (var i = 0; i < batches.Count; i++)
        {
            using var step = DisposeScope.Enter();
            var batch = batches[i];
            var (loss, right) = mlp.Evaluate(batch.X, batch.Y);
            lossSum += loss;
            correct += right;
        }
        return new SplitScore(lossSum / split.Count, correct / split.Count);
    }
}
