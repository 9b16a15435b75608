using System.Globalization;
using System.Text.RegularExpressions;

namespace TorchLoss.Cli;

/// <summary>
/// The one line an error prints, bounded whatever the user gave: messages quote values ('...') or name paths as they
/// were typed, so a value longer than <see cref="MaxEchoedLength"/> characters is cut to its start, an ellipsis and its
/// length, and control characters are shown escaped (\t, \r, \x1b) instead of moving the terminal's cursor.
/// Applied where <see cref="CliRunner"/> writes the line, so every message is bounded, however it was made.
/// </summary>
public static class ErrorLine
{
    /// <summary>The most characters of one echoed value an error line shows (a long path still fits).</summary>
    public const int MaxEchoedLength = 300;

    /// <summary>The most characters of a whole error line; a message made of many values (a list of a table's columns) is
    /// cut there.</summary>
    public const int MaxLength = 4 * MaxEchoedLength;

    public static string Of(string message)
    {
        var bounded = LongQuotedValue.Replace(message, m => $"'{Cut(m.Groups[1].Value)}'{Length(m.Groups[1].Value)}");
        bounded = LongWord.Replace(bounded, m => CutWord(m.Value));
        bounded = Reporting.PrintableText.Escape(bounded);
        return bounded.Length <= MaxLength ? bounded
            : string.Create(CultureInfo.InvariantCulture, $"{bounded[..MaxLength]}… (the message is {bounded.Length:N0} characters long)");
    }

    /// <summary>The value's start and an ellipsis, <see cref="MaxEchoedLength"/> characters in all (so it is not cut again).</summary>
    static string Cut(string value) => value[..(MaxEchoedLength - 1)] + "…";

    /// <summary>A long word cut as a value; its trailing punctuation ("PATH: ...") belongs to the message and stays.</summary>
    static string CutWord(string word)
    {
        var value = word.TrimEnd('.', ',', ':', ';', ')');
        return value.Length > MaxEchoedLength ? $"{Cut(value)}{Length(value)}{word[value.Length..]}" : word;
    }

    static string Length(string value) => string.Create(CultureInfo.InvariantCulture, $" ({value.Length:N0} characters)");

    // A quote opens after a non-letter and closes before one, so the apostrophe in "cross-entropy's" is not a value's.
    static readonly Regex LongQuotedValue = new($@"(?<![\p{{L}}\p{{N}}])'([^']{{{MaxEchoedLength + 1},}})'(?![\p{{L}}\p{{N}}])");

    static readonly Regex LongWord = new($@"[^\s']{{{MaxEchoedLength + 1},}}");
}
