namespace TorchLoss.Reporting;

/// <summary>One row of metrics: an "epoch" summary or a "steps" interval, with named values in a fixed order.</summary>
public sealed record MetricRecord(string Kind, int Epoch, long Step, IReadOnlyList<KeyValuePair<string, double>> Values)
{
    public const string EpochKind = "epoch";
    public const string StepsKind = "steps";

    public double this[string name] => Values.First(v => v.Key == name).Value;

    public bool TryGet(string name, out double value)
    {
        foreach (var (k, v) in Values)
            if (k == name) { value = v; return true; }
        value = double.NaN;
        return false;
    }
}
