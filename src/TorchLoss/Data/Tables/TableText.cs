using System.Globalization;
using System.Text;

namespace TorchLoss.Data.Tables;

/// <summary>One non-blank line of a table file, with its 1-based line number in the (decompressed) file.</summary>
public readonly record struct TableLine(int Number, string Text);

/// <summary>
/// Reads a table file's lines and splits them into fields: a ".gz" file is decompressed; the first skipped lines and blank
/// lines are passed over; a field may be quoted with double quotes ("" inside stands for one quote), as ML.NET's text
/// loader reads it with quoting on. A quoted field cannot span lines. A line, and a .gz file's decompressed size, are
/// bounded by <see cref="TableLimits"/>; a .gz file cut short is an error.
/// </summary>
public static class TableText
{
    public static IEnumerable<TableLine> Lines(string path, int skipRows) => Lines(path, skipRows, TableLimits.Default);

    internal static IEnumerable<TableLine> Lines(string path, int skipRows, TableLimits limits)
    {
        using var text = Open(path, limits);
        var reader = new BoundedLineReader(text, limits.MaxLineLength, number => new TableFormatException(string.Create(
            CultureInfo.InvariantCulture, $"{path}: line {number} is longer than {limits.MaxLineLength:N0} characters, the limit for a table line")));
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (number <= skipRows || string.IsNullOrWhiteSpace(line)) continue;
            yield return new TableLine(number, line);
        }
    }

    /// <summary>The file's text, decompressed if it is a .gz file, within the default limits.</summary>
    public static StreamReader Open(string path) => Open(path, TableLimits.Default);

    static StreamReader Open(string path, TableLimits limits)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            stream = new LimitedReadStream(StrictGzip.Decompress(stream, path), limits.MaxDecompressedBytes, () => new TableFormatException(
                $"{path}: decompresses to more than {TableLimits.Bytes(limits.MaxDecompressedBytes)}, the limit for a .gz table; decompress it and give the plain file"));
        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
    }

    /// <summary>The line's fields, unquoted and trimmed; null when a quote is not closed.</summary>
    public static string[]? Fields(string line, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (c == separator)
            {
                fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
                field.Clear();
                wasQuoted = false;
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = wasQuoted = true;
            }
            else field.Append(c);
        }
        if (quoted) return null;
        fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
        return fields.ToArray();
    }

    /// <summary>A finite number in the invariant culture, as a feature value must be.</summary>
    public static bool IsNumber(string field) =>
        float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value);
}
