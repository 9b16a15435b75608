using System.Globalization;
using TorchLoss.Heads;

namespace TorchLoss.Cli.Commands;

/// <summary>Parses the list- and range-valued options of the analysis commands; a bad value is a one-line FormatException.</summary>
public static class OptionParsing
{
    /// <summary>"1,16" -> [1, 16]; every entry from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static IReadOnlyList<int> Integers(string option, string text, int min = 1, int max = int.MaxValue)
    {
        var values = new List<int>();
        foreach (var part in Parts(option, text))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
                throw new FormatException($"{option}: '{part}' is not an integer >= {min}");
            if (value > max) throw new FormatException($"{option}: {part} is above the maximum {max}");
            values.Add(value);
        }
        return values;
    }

    /// <summary>"a,b" -> ["a", "b"] (or split on another separator, e.g. ';' for model lists).</summary>
    public static List<string> Strings(string option, string text, char separator = ',') => Parts(option, text, separator);

    /// <summary>"0.1,0.3" -> [0.1, 0.3]; every entry a finite number, at most <paramref name="max"/>.</summary>
    public static List<double> Doubles(string option, string text, double max = double.MaxValue) => Parts(option, text).Select(part =>
        !TryNumber(part, out var v) ? throw new FormatException($"{option}: '{part}' {NumericOptions.NotANumber(part)}")
        : v > max ? throw new FormatException($"{option}: {part} is above the maximum {Numbers.Limit(max)}")
        : v).ToList();

    /// <summary>"-6:6" -> (-6, 6), with from &lt; to, both within +-<paramref name="limit"/> (<paramref name="why"/> says why).</summary>
    public static (double From, double To) Range(string option, string text, double limit = double.MaxValue, string? why = null)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !TryNumber(parts[0], out var from) || !TryNumber(parts[1], out var to) || !(from < to))
            throw new FormatException($"{option}: '{text}' is not a range FROM:TO of finite numbers with FROM < TO");
        if (Math.Abs(from) > limit || Math.Abs(to) > limit)
            throw new FormatException($"{option}: '{text}' is outside the allowed range: FROM and TO must lie within " +
                                      $"+-{Numbers.Limit(limit)}{(why is null ? "" : $" ({why})")}");
        return (from, to);
    }

    /// <summary>"1:1,2:1,-1.5:0" -> [(1, 1), (2, 1), (-1.5, 0)]: x values with labels 0 or 1.</summary>
    public static IReadOnlyList<(double X, double Y)> LabelledSamples(string option, string text)
    {
        var samples = new List<(double, double)>();
        foreach (var part in Parts(option, text))
        {
            var pair = part.Split(':');
            if (pair.Length != 2 || !TryNumber(pair[0], out var x) || pair[1].Trim() is not ("0" or "1"))
                throw new FormatException($"{option}: '{part}' is not a sample X:LABEL with a finite X and a label 0 or 1");
            samples.Add((x, pair[1].Trim() == "1" ? 1 : 0));
        }
        return samples;
    }

    /// <summary>The heads named in a comma-separated list (null: every head), built with <paramref name="options"/>.</summary>
    public static IReadOnlyList<OutputHead> Heads(string option, string? text, HeadOptions options) =>
        (text is null ? HeadCatalog.Names : Parts(option, text)).Select(name => HeadCatalog.Create(name, options)).ToList();

    static List<string> Parts(string option, string text, char separator = ',')
    {
        var parts = text.Split(separator).Select(p => p.Trim()).ToList();
        if (parts.Any(p => p.Length == 0)) throw new FormatException($"{option}: '{text}' has an empty entry");
        return parts;
    }

    // Entries may have spaces around them ("1, 2"), never inside: the same strict parse as the numeric options.
    static bool TryNumber(string text, out double value) => NumericOptions.TryParseDouble(text.Trim(), out value);
}
