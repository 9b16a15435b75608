namespace TorchLoss.Training;

/// <summary>
/// A model's predictions on one split, example by example in the split's order: the label, the head's predicted class
/// and its probability for every class (row-major, <see cref="Classes"/> per example; a single output is expanded to
/// [1 − p, p]). For sigmoid heads a row is one probability per class, not a distribution: it need not sum to 1.
/// </summary>
public sealed record SplitPredictions(long[] Labels, long[] Predicted, double[] Probabilities, int Classes)
{
    /// <summary>Examples in the split.</summary>
    public int Count => Labels.Length;

    /// <summary>The probabilities of example <paramref name="i"/>, one per class.</summary>
    public ReadOnlySpan<double> Row(int i) => Probabilities.AsSpan(i * Classes, Classes);

    /// <summary>The probability each example's predicted class has.</summary>
    public double[] Confidence => Enumerable.Range(0, Count).Select(i => Row(i)[(int)Predicted[i]]).ToArray();

    /// <summary>The probability each example's true class has.</summary>
    public double[] TrueProbability => Enumerable.Range(0, Count).Select(i => Row(i)[(int)Labels[i]]).ToArray();
}
