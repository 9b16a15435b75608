using System.Globalization;
using TorchLoss.Reporting;

namespace TorchLoss.Training;

/// <summary>
/// test_predictions.csv of a run folder: the final model's predicted class for every test example with its label
/// (header "label,predicted", one row per example in the test split's order), so two runs can be compared on the same
/// images (McNemar's test). Written at the end of a run that scores the test split.
/// </summary>
public static class TestPredictions
{
    public const string File = "test_predictions.csv";

    public static void Write(string path, IReadOnlyList<long> labels, IReadOnlyList<long> predicted)
    {
        if (labels.Count != predicted.Count) throw new ArgumentException("one prediction per label");
        var text = new System.Text.StringBuilder("label,predicted\n", 8 * labels.Count);
        for (var i = 0; i < labels.Count; i++) text.Append(CultureInfo.InvariantCulture, $"{labels[i]},{predicted[i]}\n");
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Which test examples the run got right, or null when the run has no (readable) predictions file.</summary>
    public static bool[]? ReadCorrect(string path)
    {
        if (!System.IO.File.Exists(path)) return null;
        var lines = System.IO.File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != "label,predicted") return null;
        var correct = new bool[lines.Length - 1];
        for (var i = 1; i < lines.Length; i++)
        {
            var comma = lines[i].IndexOf(',');
            if (comma < 0) return null;
            correct[i - 1] = lines[i].AsSpan(0, comma).SequenceEqual(lines[i].AsSpan(comma + 1));
        }
        return correct;
    }
}
