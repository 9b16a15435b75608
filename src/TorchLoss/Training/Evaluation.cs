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

    /// <summary>Every example's predicted class, the probability the head gives it (the confidence), and the probability
    /// it gives the true class, in the split's order: for tests on the same examples, calibration and NLL. A single
    /// output is the probability of class 1.</summary>
    public static (long[] Predicted, double[] Confidence, double[] TrueProbability) Predictions(nn.Module<Tensor, Tensor> model, OutputHead head, TensorSplit split)
    {
        using var noGrad = torch.no_grad();
        var predicted = new List<long>(split.Count);
        var confidence = new List<double>(split.Count);
        var trueProbability = new List<double>(split.Count);
        using var batches = split.Batches(BatchSize);
        for (var i = 0; i < batches.Count; i++)
        {
            using var step = torch.NewDisposeScope();
            var batch = batches[i];
            var logits = model.forward(batch.X);
            var classes = head.Predict(logits).to_type(ScalarType.Int64);
            var p = head.Probabilities(logits).to_type(ScalarType.Float64);
            if (p.size(1) == 1) p = torch.cat([1 - p, p], 1); // one output: the probability of class 1
            predicted.AddRange(classes.cpu().data<long>().ToArray());
            confidence.AddRange(p.gather(1, classes.unsqueeze(1)).squeeze(1).cpu().data<double>().ToArray());
            trueProbability.AddRange(p.gather(1, batch.Y.to_type(ScalarType.Int64).unsqueeze(1)).squeeze(1).cpu().data<double>().ToArray());
        }
        return (predicted.ToArray(), confidence.ToArray(), trueProbability.ToArray());
    }
}
