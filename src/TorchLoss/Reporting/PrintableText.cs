using System.Globalization;
using System.Text;

namespace TorchLoss.Reporting;

/// <summary>
/// Text from files or from the command line made safe to print on a terminal: control characters (C0 and C1, escape
/// sequences among them, which can retitle or clear a terminal), line and paragraph separators, and the bidirectional
/// overrides that reorder what is shown, each written as a visible escape (\n, \t, \x1b, \u202e).
/// </summary>
public static class PrintableText
{
    /// <summary>Whether <paramref name="c"/> is a character <see cref="Escape"/> rewrites.</summary>
    public static bool IsControl(char c) => char.IsControl(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || c is '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');

    /// <summary>The first character of <paramref name="text"/> that <see cref="IsControl"/> matches, or null.</summary>
    public static char? FirstControl(string text)
    {
        foreach (var c in text)
            if (IsControl(c)) return c;
        return null;
    }

    public static string Escape(string text)
    {
        if (FirstControl(text) is null) return text;
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            escaped.Append(IsControl(c) ? Escaped(c) : c.ToString());
        return escaped.ToString();
    }

    /// <summary>"\n", "\t", "\r", or "\x1b" / "\u202e" by code.</summary>
    public static string Escaped(char c) => c switch
    {
        '\n' => "\\n",
        '\t' => "\\t",
        '\r' => "\\r",
        <= '\u00ff' => $"\\x{(int)c:x2}",
        _ => $"\\u{(int)c:x4}",
    };
}
