using System.Globalization;
using TorchLoss.Reporting;
using TorchLoss.Runtime;

namespace TorchLoss.Training;

/// <summary>
/// test_predictions.csv of a run folder: for every test example, in the test split's order, its label, the final
/// model's predicted class, the probability the head gives that class (confidence) and the probability it gives the
/// true class. Two runs can then be compared on the same images (McNemar's test), and a run's calibration and negative
/// log-likelihood measured. Written at the end of a run that scores the test split. For sigmoid heads the outputs are
/// one probability per class, not a distribution: their confidence and true-class probability are those outputs.
/// </summary>
public static class TestPredictions
{
    public const string File = "test_predictions.csv";
    const string Header = "label,predicted,confidence,true_probability";
    /// <summary>The first form of the file, before it held probabilities: enough for McNemar's test, not for calibration.</summary>
    const string LabelsOnlyHeader = "label,predicted";

    public static void Write(string path, IReadOnlyList<long> labels, IReadOnlyList<long> predicted, IReadOnlyList<double> confidence,
        IReadOnlyList<double> trueProbability)
    {
        if (labels.Count != predicted.Count || labels.Count != confidence.Count || labels.Count != trueProbability.Count)
            throw new ArgumentException("one prediction per label");
        var text = new System.Text.StringBuilder(Header + "\n", 40 * labels.Count);
        for (var i = 0; i < labels.Count; i++)
            text.Append(CultureInfo.InvariantCulture, $"{labels[i]},{predicted[i]},{confidence[i]:R},{trueProbability[i]:R}\n");
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>A run's saved predictions, or null when it has no (readable) file. A file of the first form (label and
    /// predicted class only) gives which images were right, without probabilities.</summary>
    public static SavedPredictions? Read(string path)
    {
        if (!System.IO.File.Exists(path)) return null;
        var lines = System.IO.File.ReadAllLines(path);
        if (lines.Length == 0) return null;
        var n = lines.Length - 1;
        var correct = new bool[n];
        if (lines[0] == LabelsOnlyHeader)
        {
            for (var i = 0; i < n; i++)
            {
                var fields = lines[i + 1].Split(',');
                if (fields.Length != 2) return null;
                correct[i] = fields[0] == fields[1];
            }
            return new SavedPredictions(correct, [], []);
        }
        if (lines[0] != Header) return null;
        var confidence = new double[n];
        var trueProbability = new double[n];
        for (var i = 0; i < n; i++)
        {
            var fields = lines[i + 1].Split(',');
            if (fields.Length != 4
                || !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out confidence[i])
                || !double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out trueProbability[i]))
                return null;
            correct[i] = fields[0] == fields[1];
        }
        return new SavedPredictions(correct, confidence, trueProbability);
    }
}

/// <summary>What a run's test_predictions.csv holds, example by example: which were right, and (unless the file is of
/// the first form) the probabilities, <paramref name="Confidence"/> and <paramref name="TrueProbability"/>, empty otherwise.</summary>
public sealed record SavedPredictions(IReadOnlyList<bool> Correct, IReadOnlyList<double> Confidence, IReadOnlyList<double> TrueProbability)
{
    public const int CalibrationBins = 15;

    public bool HasProbabilities => Confidence.Count == Correct.Count && Correct.Count > 0;

    /// <summary>Mean −ln of the true class's probability (clamped at 1e-12, so a zero probability counts 27.6); NaN without probabilities.</summary>
    public double NegativeLogLikelihood => HasProbabilities ? TrueProbability.Average(p => -Math.Log(Math.Max(p, 1e-12))) : double.NaN;

    /// <summary>Expected calibration error: over <see cref="CalibrationBins"/> equal-width confidence bins, the
    /// example-weighted mean |accuracy − mean confidence|; NaN without probabilities.</summary>
    public double ExpectedCalibrationError => HasProbabilities
        ? Reliability().Sum(b => b.Count * Math.Abs(b.Accuracy - b.Confidence)) / Correct.Count
        : double.NaN;

    /// <summary>The reliability diagram's bins that hold examples: range, count, accuracy and mean confidence (none
    /// without probabilities).</summary>
    public IReadOnlyList<(double Low, double High, int Count, double Accuracy, double Confidence)> Reliability()
    {
        var bins = new List<(double, double, int, double, double)>();
        if (!HasProbabilities) return bins;
        for (var b = 0; b < CalibrationBins; b++)
        {
            double low = (double)b / CalibrationBins, high = (double)(b + 1) / CalibrationBins;
            var members = Enumerable.Range(0, Correct.Count)
                .Where(i => Confidence[i] > low && (Confidence[i] <= high || b == CalibrationBins - 1) || (b == 0 && Confidence[i] <= 0)).ToList();
            if (members.Count == 0) continue;
            bins.Add((low, high, members.Count, members.Average(i => Correct[i] ? 1.0 : 0.0), members.Average(i => Confidence[i])));
        }
        return bins;
    }
}
