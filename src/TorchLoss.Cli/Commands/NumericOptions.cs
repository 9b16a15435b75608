using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// Creates every numeric option of the CLI. Values are read in the invariant culture and strictly: a plain number
/// (0.1, 1e-3, -2), no thousands separators, no spaces, finite; the option's bounds are checked while parsing, so a
/// bad value is one line naming the option, e.g. "--lr: '0,1' is not a number (use a dot for decimals)".
/// </summary>
public static class NumericOptions
{
    /// <summary>A double option; <paramref name="positive"/> also refuses 0, <paramref name="belowMax"/> refuses
    /// <paramref name="max"/> itself.</summary>
    public static Option<double> Double(string name, string description, double defaultValue,
        double min = double.MinValue, double max = double.MaxValue, bool positive = false, bool belowMax = false) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseDouble(result, name, min, max, positive, belowMax) ?? defaultValue,
    };

    /// <summary>A double option without a default (null when absent).</summary>
    public static Option<double?> OptionalDouble(string name, string description,
        double min = double.MinValue, double max = double.MaxValue, bool positive = false, bool belowMax = false) => new(name)
    {
        Description = description,
        CustomParser = result => ParseDouble(result, name, min, max, positive, belowMax),
    };

    /// <summary>An integer option; <paramref name="maxReason"/>, when given, says why <paramref name="max"/> is the maximum.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min = int.MinValue, int max = int.MaxValue,
        string? maxReason = null) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseInt(result, name, min, max, maxReason) ?? defaultValue,
    };

    /// <summary>An integer option without a default (null when absent).</summary>
    public static Option<int?> OptionalInt(string name, string description, int min = int.MinValue, int max = int.MaxValue,
        string? maxReason = null) => new(name)
    {
        Description = description,
        CustomParser = result => ParseInt(result, name, min, max, maxReason),
    };

    /// <summary>A seed: an integer from 0 to 2^64 - 1.</summary>
    public static Option<ulong> Seed(string name, string description, ulong defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (Token(result) is not { } text) return defaultValue;
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
            result.AddError($"{name}: '{text}' is not an integer from 0 to {ulong.MaxValue}");
            return defaultValue;
        },
    };

    /// <summary>An intra-op thread count, at most <see cref="ThreadLimits.MaxThreads"/>.</summary>
    public static Option<int?> Threads(string name, string description) =>
        OptionalInt(name, $"{description} At most {ThreadLimits.MaxThreads} ({ThreadLimits.Rule}).", 1, ThreadLimits.MaxThreads, ThreadLimits.Rule);

    /// <summary>A BLAS thread count, at most <see cref="ThreadLimits.MaxBlasThreads"/>.</summary>
    public static Option<int?> BlasThreads(string name, string description) =>
        OptionalInt(name, $"{description} At most {ThreadLimits.MaxBlasThreads} ({ThreadLimits.BlasRule}).", 1, ThreadLimits.MaxBlasThreads, ThreadLimits.BlasRule);

    /// <summary>Strict invariant-culture double: digits, one optional sign, decimal point and exponent; finite.</summary>
    public static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Why <paramref name="text"/> is not a number, for "OPTION: '...' {reason}".</summary>
    public static string NotANumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsFinite(v) ? "is not a finite number"
        : text.Contains(',') ? "is not a number (use a dot for decimals)"
        : "is not a number";

    static double? ParseDouble(ArgumentResult result, string name, double min, double max, bool positive, bool belowMax)
    {
        if (Token(result) is not { } text) return null;
        if (!TryParseDouble(text, out var value))
        {
            result.AddError($"{name}: '{text}' {NotANumber(text)}");
            return null;
        }
        if (positive && !(value > 0)) result.AddError($"{name}: must be greater than 0, got {text}");
        else if (value < min) result.AddError($"{name}: must be at least {Numbers.Limit(min)}, got {text}");
        else if (belowMax && !(value < max)) result.AddError($"{name}: must be less than {Numbers.Limit(max)}, got {text}");
        else if (value > max) result.AddError($"{name}: must be at most {Numbers.Limit(max)}, got {text}");
        return value;
    }

    static int? ParseInt(ArgumentResult result, string name, int min, int max, string? maxReason)
    {
        if (Token(result) is not { } text) return null;
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
        {
            result.AddError($"{name}: '{text}' is not an integer");
            return null;
        }
        if (big < min) result.AddError($"{name}: must be at least {min}, got {text}");
        else if (big > max) result.AddError($"{name}: must be at most {max}{(maxReason is null ? "" : $" ({maxReason})")}, got {text}");
        else return (int)big;
        return null;
    }

    static string? Token(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
}
