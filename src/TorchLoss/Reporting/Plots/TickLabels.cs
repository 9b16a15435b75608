using System.Globalization;

namespace TorchLoss.Reporting.Plots;

/// <summary>The labels of one axis's ticks, all in one format: plain numbers with the same number of decimals
/// ("0.5", "1.0", "1.5"), or, when a tick would need more than <see cref="MaxDecimals"/> decimals or is 10⁵ or more,
/// scientific notation with the same number of mantissa decimals ("1e-4", "1e-3"); each followed by the unit, if any.</summary>
internal static class TickLabels
{
    public const int MaxDecimals = 3;

    public static IReadOnlyList<string> Format(IReadOnlyList<double> ticks, string? unit = null)
    {
        var suffix = string.IsNullOrEmpty(unit) ? "" : $" {unit}";
        var scientific = ticks.Any(t => t != 0 && (Decimals(t) > MaxDecimals || Math.Abs(t) >= 1e5));
        if (!scientific)
        {
            var decimals = ticks.Count == 0 ? 0 : ticks.Max(Decimals);
            return ticks.Select(t => t.ToString($"F{decimals}", CultureInfo.InvariantCulture) + suffix).ToList();
        }
        var parts = ticks.Select(t => t == 0 ? (Mantissa: 0.0, Exponent: 0) : Split(t)).ToList();
        var mantissaDecimals = parts.Max(p => Decimals(p.Mantissa));
        return parts.Select(p => p.Mantissa == 0 ? "0" + suffix
            : $"{p.Mantissa.ToString($"F{mantissaDecimals}", CultureInfo.InvariantCulture)}e{p.Exponent.ToString(CultureInfo.InvariantCulture)}{suffix}").ToList();
    }

    static (double Mantissa, int Exponent) Split(double value)
    {
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)) + 1e-9);
        return (Math.Round(value / Math.Pow(10, exponent), 6), exponent);
    }

    /// <summary>The fewest decimals that write <paramref name="value"/> exactly (up to rounding noise), at most 9.</summary>
    static int Decimals(double value)
    {
        for (var d = 0; d < 9; d++)
            if (Math.Abs(Math.Round(value, d) - value) <= 1e-9 * Math.Max(1, Math.Abs(value))) return d;
        return 9;
    }
}
