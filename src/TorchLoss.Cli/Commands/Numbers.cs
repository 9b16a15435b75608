using System.Globalization;

namespace TorchLoss.Cli.Commands;

/// <summary>How the analysis commands print numbers.</summary>
public static class Numbers
{
    /// <summary>Two significant digits in scientific notation (0 stays 0), for errors and tiny gradients.</summary>
    public static string Sci(double value) =>
        value == 0 ? "0" : value.ToString("0.0e+00", CultureInfo.InvariantCulture);

    /// <summary>Up to <paramref name="digits"/> significant digits, invariant culture.</summary>
    public static string General(double value, int digits = 6) => value.ToString($"G{digits}", CultureInfo.InvariantCulture);

    /// <summary>A bound in an error or help text: 1e6, 1e150, 0.5, 100000 (invariant, no "E+").</summary>
    public static string Limit(double value) =>
        Math.Abs(value) >= 1e6 ? value.ToString("0.###e0", CultureInfo.InvariantCulture) : General(value);

    /// <summary>A fraction as a percentage with two decimals, e.g. 95.90%.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
