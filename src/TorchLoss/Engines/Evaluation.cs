using TorchLoss.Data;
using TorchLoss.Heads;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Engines;

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

    /// <summary>Every example's predicted class and the head's class probabilities, in the split's order (one forward
    /// pass): for tests on the same examples, calibration, NLL and ML.NET's evaluation. A single output is the probability
    /// of class 1, expanded to the two columns [1 − p, p].</summary>
    public static SplitPredictions Predictions(nn.Module<Tensor, Tensor> model, OutputHead head, TensorSplit split)
    {
        using var noGrad = torch.no_grad();
        var predicted = new List<long>(split.Count);
        var probabilities = new List<double>();
        var classes = 0;
        using var batches = split.Batches(BatchSize);
        for (var i = 0; i < batches.Count; i++)
        {
            using var step = torch.NewDisposeScope();
            var batch = batches[i];
            var logits = model.forward(batch.X);
            var p = head.Probabilities(logits).to_type(ScalarType.Float64);
            if (p.size(1) == 1) p = torch.cat([1 - p, p], 1); // one output: the probability of class 1
            classes = (int)p.size(1);
            predicted.AddRange(head.Predict(logits).to_type(ScalarType.Int64).cpu().data<long>().ToArray());
            probabilities.AddRange(p.contiguous().cpu().data<double>().ToArray());
        }
        var labels = split.Count == 0 ? [] : ReadLabels(split);
        return new SplitPredictions(labels, predicted.ToArray(), probabilities.ToArray(), classes);
    }

    static long[] ReadLabels(TensorSplit split)
    {
        using var scope = torch.NewDisposeScope();
        return split.Y.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
    }
}
