using System.Globalization;
using System.Text.Json.Serialization;

namespace TorchLoss.Analysis.Claims;

/// <summary>Whether a post's statement survives our numbers.</summary>
public enum Verdict
{
    Holds,
    DoesNotHold,
    /// <summary>True under a condition the post does not state (<see cref="SourceClaim.Condition"/>).</summary>
    HoldsOnlyWhen,
}

/// <summary>One statement of a post next to what we compute. The verdict is decided at run time from our numbers by
/// the rule in <see cref="How"/>, never written in by hand.</summary>
/// <param name="Post">The post's title (<see cref="SourcePosts"/>).</param>
/// <param name="Says">What the post states, paraphrased, with its printed numbers.</param>
/// <param name="Ours">Our computed values.</param>
/// <param name="Condition">For <see cref="Verdict.HoldsOnlyWhen"/>: when it holds; otherwise null.</param>
/// <param name="How">The rule that turned our values into the verdict.</param>
public sealed record SourceClaim(string Post, string Says, string Ours, Verdict Verdict, string? Condition, string How)
{
    [JsonPropertyName("verdict_text")]
    public string VerdictText => Verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.DoesNotHold => "does not hold",
        _ => $"holds only when {Condition}",
    };

    /// <summary>A number as the claims print it: up to 6 significant digits, invariant culture.</summary>
    internal static string Number(double value, int digits = 6) => value.ToString($"G{digits}", CultureInfo.InvariantCulture);

    internal static string Sci(double value) => value == 0 ? "0" : value.ToString("0.0e+00", CultureInfo.InvariantCulture);

    internal static string Vector(IEnumerable<double> values) => $"({string.Join(", ", values.Select(v => Number(v)))})";
}

/// <summary>A number as a post prints it: equal to ours when ours rounds to it at the post's decimal places.</summary>
public static class PrintedNumber
{
    public static bool Matches(double ours, string printed)
    {
        var value = double.Parse(printed, NumberStyles.Float, CultureInfo.InvariantCulture);
        var point = printed.IndexOf('.');
        var decimals = point < 0 ? 0 : printed.Length - point - 1;
        // Half a unit in the last printed place, plus a little for the binary representation of both numbers.
        return Math.Abs(ours - value) <= 0.5 * Math.Pow(10, -decimals) * (1 + 1e-9);
    }
}
