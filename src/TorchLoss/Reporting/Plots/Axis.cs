namespace TorchLoss.Reporting.Plots;

/// <summary>Maps data values to pixels on a linear or base-10 log scale, with readable tick positions.</summary>
internal sealed class Axis
{
    readonly double low, high, pixelLow, pixelHigh;

    public Axis(double min, double max, double pixelLow, double pixelHigh, bool log)
    {
        Log = log;
        (low, high) = log ? (Math.Log10(min), Math.Log10(max)) : (min, max);
        if (high - low < 1e-12) (low, high) = (low - 0.5, high + 0.5);
        this.pixelLow = pixelLow;
        this.pixelHigh = pixelHigh;
    }

    public bool Log { get; }

    public double Pixel(double value)
    {
        var v = Log ? Math.Log10(value) : value;
        return pixelLow + (v - low) / (high - low) * (pixelHigh - pixelLow);
    }

    public bool Accepts(double value) => double.IsFinite(value) && (!Log || value > 0);

    /// <summary>Tick values: powers of ten on a log axis, else 1/2/5 steps giving about five ticks.</summary>
    public IEnumerable<double> Ticks()
    {
        if (Log)
        {
            var span = Math.Ceiling(high) - Math.Floor(low);
            var every = Math.Max(1, (int)Math.Ceiling(span / 8));
            // Short spans also get 2 and 5 times each power of ten, so the axis never shows fewer than a few ticks.
            double[] multiples = span <= 2 ? [1, 2, 5] : [1];
            for (var e = Math.Floor(low); e <= high + 1e-9; e += every)
                foreach (var m in multiples)
                {
                    var t = m * Math.Pow(10, e);
                    var position = Math.Log10(t);
                    if (position >= low - 1e-9 && position <= high + 1e-9) yield return t;
                }
            yield break;
        }
        var raw = (high - low) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(low / step) * step; t <= high + step * 1e-9; t += step) yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    public static string Format(double v) =>
        v == 0 ? "0"
        : Math.Abs(v) >= 1e4 || Math.Abs(v) < 1e-3 ? v.ToString("0.#E+0", System.Globalization.CultureInfo.InvariantCulture)
        : v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Data range of the accepted values, padded a little on a linear axis.</summary>
    public static (double Min, double Max) Range(IEnumerable<double> values, bool log, double? min = null, double? max = null)
    {
        var accepted = values.Where(v => double.IsFinite(v) && (!log || v > 0)).ToList();
        if (accepted.Count == 0) return log ? (0.1, 1) : (0, 1);
        double lo = min ?? accepted.Min(), hi = max ?? accepted.Max();
        if (!log && min is null && max is null)
        {
            var pad = (hi - lo) * 0.05;
            (lo, hi) = (lo - pad, hi + pad);
        }
        return (lo, hi);
    }
}
