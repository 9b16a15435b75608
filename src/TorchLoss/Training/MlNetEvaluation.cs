using Microsoft.ML;
using Microsoft.ML.Data;

namespace TorchLoss.Training;

/// <summary>
/// ML.NET's multiclass metrics of a model's predictions on one split (summary.json's <c>ml_net</c>): an independent
/// check of our own test error and NLL. The confusion matrix counts examples, rows the true class and columns the
/// predicted one; <see cref="TopKAccuracy"/>[k − 1] is the share whose true class is among the k highest scores.
/// </summary>
public sealed record MlNetMetrics(int ClassCount, double MicroAccuracy, double MacroAccuracy, double LogLoss, double LogLossReduction,
    double[] PerClassLogLoss, double[] TopKAccuracy, long[][] ConfusionMatrix);

/// <summary>
/// Runs <c>MLContext.MulticlassClassification.Evaluate</c> on predictions held in memory. What ML.NET 5 does with them,
/// read from its evaluator and checked by the tests:
/// <list type="bullet">
/// <item>Label and PredictedLabel are key columns with K values. ML.NET's keys count from 1 (key 0 is a missing value,
/// whose rows the evaluator skips as unlabelled) and the evaluator reads key k as class k − 1; but
/// <c>LoadFromEnumerable</c> already adds the 1: it reads a key property's value v as key v + 1, and values of K or
/// more as the missing key. So class c goes in as c itself (c + 1 would shift every class up one and drop class
/// K − 1), and comes back as row and column c of the confusion matrix.</item>
/// <item>It ignores the PredictedLabel column's values: its prediction is the first largest Score. That is the head's
/// prediction (the argmax of monotone outputs) except where two outputs tie in float32 while their logits do not, e.g.
/// two sigmoid outputs both rounded to 1.</item>
/// <item>It does not normalise the scores: log-loss is the mean of −ln Score[label], with Score[label] clamped to
/// [1e-15, 1] in float32. For sigmoid heads, whose outputs need not sum to 1, that is the −ln of the true class's own
/// output, as in our NLL (which clamps at 1e-12 instead, so the two differ only for outputs below 1e-12). Log-loss
/// reduction is 1 − log-loss / the entropy of the labels' class frequencies, so for sigmoid heads too it compares
/// with the prior of the split itself.</item>
/// <item>Rows whose scores are not all finite are skipped.</item>
/// </list>
/// </summary>
public static class MlNetEvaluation
{
    /// <summary>Top-k accuracies are reported for k = 1 to this (or to the class count when smaller).</summary>
    public const int TopK = 5;

    /// <summary>ML.NET's metrics of <paramref name="predictions"/> (at least 2 classes; labels and predictions 0 to K − 1).</summary>
    public static MlNetMetrics Evaluate(SplitPredictions predictions)
    {
        var classes = predictions.Classes;
        if (classes < 2) throw new ArgumentException("ML.NET's multiclass evaluation needs at least 2 classes", nameof(predictions));
        if (predictions.Probabilities.Length != predictions.Count * classes || predictions.Predicted.Length != predictions.Count)
            throw new ArgumentException($"expected {predictions.Count} predictions of {classes} probabilities", nameof(predictions));
        var context = new MLContext(seed: 0);
        var schema = SchemaDefinition.Create(typeof(ScoredRow));
        schema[nameof(ScoredRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        schema[nameof(ScoredRow.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        schema[nameof(ScoredRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classes);
        var rows = Enumerable.Range(0, predictions.Count).Select(i => new ScoredRow
        {
            Label = Key(predictions.Labels[i], classes),
            PredictedLabel = Key(predictions.Predicted[i], classes),
            Score = predictions.Row(i).ToArray().Select(p => (float)p).ToArray(),
        });
        var data = context.Data.LoadFromEnumerable(rows, schema);
        var metrics = context.MulticlassClassification.Evaluate(data, nameof(ScoredRow.Label), nameof(ScoredRow.Score),
            nameof(ScoredRow.PredictedLabel), topKPredictionCount: Math.Min(TopK, classes));
        return new MlNetMetrics(classes, metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, metrics.LogLossReduction,
            metrics.PerClassLogLoss.ToArray(), metrics.TopKAccuracyForAllK.ToArray(),
            metrics.ConfusionMatrix.Counts.Select(row => row.Select(c => (long)c).ToArray()).ToArray());
    }

    /// <summary>Class c as a key property's value: c itself, which LoadFromEnumerable makes key c + 1 (see above).</summary>
    static uint Key(long c, int classes) => c >= 0 && c < classes ? (uint)c
        : throw new ArgumentOutOfRangeException(nameof(c), c, $"classes are 0 to {classes - 1}");

    /// <summary>One scored example as ML.NET reads it; the column types are set in the schema above.</summary>
    sealed class ScoredRow
    {
        public uint Label { get; set; }
        public uint PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
    }
}
