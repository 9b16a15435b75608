using System.Globalization;

namespace TorchLoss.Data.Tables;

/// <summary>Turns the column selectors a user typed (a name, a 0-based index, a negative index from the end, or a range
/// "2-5") into column indices, with one-line errors that list the columns there are.</summary>
sealed class ColumnSelector(string path, IReadOnlyList<string> names, bool hasHeader)
{
    public string Describe(int index) => hasHeader ? $"column {index} ({names[index]})" : $"column {index}";

    public int Single(string selector, string option)
    {
        var indices = Many(selector, option);
        return indices.Count == 1 ? indices[0] : throw new TableFormatException($"{option} '{selector}' names {indices.Count} columns; give one");
    }

    public IReadOnlyList<int> Many(string selector, string option)
    {
        var text = selector.Trim();
        if (hasHeader)
        {
            var exact = IndexOfName(text, StringComparison.Ordinal) ?? IndexOfName(text, StringComparison.OrdinalIgnoreCase);
            if (exact is int named) return [named];
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index)) return [Check(index < 0 ? names.Count + index : index, text, option)];
        var dash = text.IndexOf('-', 1);
        if (dash > 0
            && int.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            && int.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
        {
            Check(from, text, option);
            Check(to, text, option);
            if (to < from) throw new TableFormatException($"{option} '{text}': the range runs backwards");
            return Enumerable.Range(from, to - from + 1).ToArray();
        }
        throw new TableFormatException(hasHeader
            ? $"{option} '{text}': {path} has no such column; its columns are {string.Join(", ", names)} (or give a 0-based index)"
            : $"{option} '{text}': {path} has no header, so columns are chosen by 0-based index (0 to {names.Count - 1}) or range (e.g. 0-3)");
    }

    int? IndexOfName(string name, StringComparison comparison)
    {
        var matches = Enumerable.Range(0, names.Count).Where(i => string.Equals(names[i], name, comparison)).ToArray();
        return matches.Length == 1 ? matches[0] : null;
    }

    int Check(int index, string text, string option) => index >= 0 && index < names.Count
        ? index
        : throw new TableFormatException($"{option} '{text}': {path} has columns 0 to {names.Count - 1}");
}
