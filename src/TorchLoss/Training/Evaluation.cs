using TorchLoss.Data;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

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
    public static SplitScore? Score(nn.Module<Tensor, Tensor> model, OutputHead head, TensorSplit split, ScalarType dtype)
    {
        if (split.Count == 0) return null;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor? lossSum = null, correct = null;
        using var batches = split.Batches(BatchSize);
        for (var i = 0; i < batches.Count; i++)
        {
            using var step = torch.NewDisposeScope();
            var batch = batches[i];
            var logits = model.forward(batch.X);
            var targets = OutputHead.Targets(batch.Y, logits.size(1), dtype);
            var batchLoss = head.ExampleLoss(logits, targets).sum().to_type(ScalarType.Float64);
            var batchCorrect = head.Predict(logits).eq(batch.Y).sum();
            if (lossSum is null)
            {
                lossSum = batchLoss.MoveToOuterDisposeScope();
                correct = batchCorrect.MoveToOuterDisposeScope();
            }
            else
            {
                lossSum.add_(batchLoss);
                correct!.add_(batchCorrect);
            }
        }
        // One read of both sums: a single device synchronisation.
        using var both = torch.stack([lossSum!, correct!.to_type(ScalarType.Float64)]);
        var values = both.data<double>().ToArray();
        return new SplitScore(values[0] / split.Count, values[1] / split.Count);
    }

    /// <summary>The predicted class of every example of the split, in order (for tests on the same examples).</summary>
    public static long[] Predictions(nn.Module<Tensor, Tensor> model, OutputHead head, TensorSplit split)
    {
        using var noGrad = torch.no_grad();
        var predicted = new List<long>(split.Count);
        using var batches = split.Batches(BatchSize);
        for (var i = 0; i < batches.Count; i++)
        {
            using var step = torch.NewDisposeScope();
            using var host = head.Predict(model.forward(batches[i].X)).to_type(ScalarType.Int64).cpu();
            predicted.AddRange(host.data<long>().ToArray());
        }
        return predicted.ToArray();
    }
}
