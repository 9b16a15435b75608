namespace TorchLoss.Reporting.Plots;

/// <summary>Maps data values to pixels on a linear or base-10 log scale, with readable tick positions.</summary>
internal sealed class Axis
{
    /// <summary>The share of the data's span left free on each side, so that extreme points sit inside the frame.</summary>
    public const double Margin = 0.05;

    /// <summary>At most this many distinct data values become the ticks themselves (see <see cref="LinePlot.XTicksAtData"/>).</summary>
    public const int MaxDataTicks = 12;

    /// <summary>On a log axis that shows zero: where zero sits, and where the log scale begins, as shares of the axis's
    /// length from its low end. The gap between them is marked as a break.</summary>
    const double ZeroAt = 0.03, LogStartsAt = 0.1;

    readonly double low, high, pixelLow, pixelHigh, logPixelLow;

    /// <summary>An axis showing at least [<paramref name="min"/>, <paramref name="max"/>], widened by <see cref="Margin"/>
    /// of its span on each side (in log space on a log axis). A log axis with <paramref name="zero"/> also shows zero,
    /// below a break at its low end (an error of 0 %), since no log scale reaches it.</summary>
    public Axis(double min, double max, double pixelLow, double pixelHigh, bool log, bool zero = false)
    {
        Log = log;
        ShowsZero = log && zero;
        (low, high) = log ? (Math.Log10(min), Math.Log10(max)) : (min, max);
        if (high - low < 1e-12) (low, high) = log ? (low - 0.25, high + 0.25) : (low - 0.5, high + 0.5);
        var pad = (high - low) * Margin;
        (low, high) = (low - pad, high + pad);
        this.pixelLow = pixelLow;
        this.pixelHigh = pixelHigh;
        logPixelLow = ShowsZero ? pixelLow + LogStartsAt * (pixelHigh - pixelLow) : pixelLow;
    }

    public bool Log { get; }

    /// <summary>A log axis that also shows zero, below a break.</summary>
    public bool ShowsZero { get; }

    /// <summary>The pixels between zero and the start of the log scale, where the break is drawn.</summary>
    public (double From, double To) Break => (pixelLow + ZeroAt * 2 * (pixelHigh - pixelLow), logPixelLow);

    public double Pixel(double value)
    {
        if (ShowsZero && value == 0) return pixelLow + ZeroAt * (pixelHigh - pixelLow);
        var v = Log ? Math.Log10(value) : value;
        return logPixelLow + (v - low) / (high - low) * (pixelHigh - logPixelLow);
    }

    public bool Accepts(double value) => double.IsFinite(value) && (!Log || value > 0 || (ShowsZero && value == 0));

    bool Inside(double value) => Accepts(value) && (ShowsZero && value == 0 || (Log ? Math.Log10(value) : value) is var v && v >= low - 1e-9 && v <= high + 1e-9);

    /// <summary>Tick values. A linear axis gets 1/2/5 steps giving four to seven ticks; a log axis 1, 2, 3 and 5 times each
    /// power of ten over about a decade, 1, 2 and 5 times up to three decades, powers of ten beyond, and over less than a
    /// factor of four (too few of those inside) linear steps.</summary>
    public IReadOnlyList<double> Ticks()
    {
        if (!Log) return LinearTicks(low, high);
        return ShowsZero ? [0, .. LogTicks()] : LogTicks();
    }

    List<double> LogTicks()
    {
        var span = high - low;
        double[] multiples = span <= 1.3 ? [1, 2, 3, 5] : span <= 3 ? [1, 2, 5] : [1];
        var every = Math.Max(1, (int)Math.Ceiling(span / 8));
        var ticks = new List<double>();
        for (var e = Math.Floor(low); e <= high + 1e-9; e += every)
            foreach (var m in multiples)
                if (m * Math.Pow(10, e) is var t && Inside(t)) ticks.Add(t);
        return ticks.Count >= 3 ? ticks : LinearTicks(Math.Pow(10, low), Math.Pow(10, high));
    }

    /// <summary>The distinct values among <paramref name="values"/> that lie on this axis, as ticks, when there are at
    /// most <see cref="MaxDataTicks"/>; else null.</summary>
    public IReadOnlyList<double>? DataTicks(IEnumerable<double> values)
    {
        var distinct = values.Where(Inside).Distinct().Order().ToList();
        return distinct.Count is > 0 and <= MaxDataTicks ? distinct : null;
    }

    static List<double> LinearTicks(double low, double high)
    {
        var raw = (high - low) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw * (1 - 1e-9));
        var ticks = new List<double>();
        // Multiples of the step, computed from an integer count so that no rounding error accumulates.
        for (var k = Math.Ceiling(low / step - 1e-9); k * step <= high + step * 1e-9; k++)
            ticks.Add(k == 0 ? 0 : k * step);
        return ticks;
    }

    /// <summary>The smallest range holding the accepted values (those a log axis can show), or the given bounds; the
    /// <see cref="Axis"/> adds its margins.</summary>
    public static (double Min, double Max) Range(IEnumerable<double> values, bool log, double? min = null, double? max = null)
    {
        var accepted = values.Where(v => double.IsFinite(v) && (!log || v > 0)).ToList();
        if (accepted.Count == 0) return log ? (min ?? 0.1, max ?? 1) : (min ?? 0, max ?? 1);
        return (min ?? accepted.Min(), max ?? accepted.Max());
    }
}
