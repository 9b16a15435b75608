namespace TorchLoss.Data.Tables;

/// <summary>
/// Per-feature standardisation fitted on the training split: x' = (x - mean) / scale, with the population standard
/// deviation as scale (1 for a constant feature). Recorded in a run's config.json so its model can be applied to new data.
/// </summary>
public sealed record FeatureStandardization(IReadOnlyList<string> Features, IReadOnlyList<double> Mean, IReadOnlyList<double> Scale)
{
    public static FeatureStandardization Fit(LabelledRows rows, IReadOnlyList<int> trainRows)
    {
        var width = rows.FeatureCount;
        var mean = new double[width];
        var square = new double[width];
        foreach (var row in trainRows)
        {
            var values = rows.Row(row);
            for (var j = 0; j < width; j++) mean[j] += values[j];
        }
        for (var j = 0; j < width; j++) mean[j] /= trainRows.Count;
        foreach (var row in trainRows)
        {
            var values = rows.Row(row);
            for (var j = 0; j < width; j++) square[j] += (values[j] - mean[j]) * (values[j] - mean[j]);
        }
        var scale = square.Select(s => Math.Sqrt(s / trainRows.Count)).Select(s => s > 0 ? s : 1).ToArray();
        return new FeatureStandardization(rows.FeatureNames, mean, scale);
    }

    /// <summary>The rows' features, standardised, row-major.</summary>
    public float[] Apply(LabelledRows rows, IReadOnlyList<int> selected)
    {
        var width = rows.FeatureCount;
        var result = new float[selected.Count * width];
        for (var i = 0; i < selected.Count; i++)
        {
            var values = rows.Row(selected[i]);
            for (var j = 0; j < width; j++) result[i * width + j] = (float)((values[j] - Mean[j]) / Scale[j]);
        }
        return result;
    }
}
