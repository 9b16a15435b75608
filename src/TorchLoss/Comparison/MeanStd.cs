namespace TorchLoss.Comparison;

/// <summary>Mean and sample standard deviation over seeds (std 0 for one seed; NaN when nothing was measured).</summary>
public readonly record struct MeanStd(double Mean, double Std, int Count)
{
    public static MeanStd Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new(double.NaN, double.NaN, 0);
        var mean = v.Average();
        var std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new(mean, std, v.Length);
    }

    /// <summary>"7.56 ± 0.42 %"; one seed has no spread, so it reads "7.56 % (1 seed)".</summary>
    public string Percent() => !double.IsFinite(Mean) ? "–"
        : Count == 1 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mean * 100:F2} % (1 seed)")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mean * 100:F2} ± {Std * 100:F2} %");

    public string Number(string format = "G3") =>
        double.IsFinite(Mean) ? $"{Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} ± {Std.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}" : "–";
}
