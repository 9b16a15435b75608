namespace TorchLoss.Data.Tables;

/// <summary>
/// The header of the file a model was trained on: every column's name, and which of them were the label and the features.
/// Another file with a header (a test file, rows to score) is read by these names, in whatever order its columns come, so
/// a file whose columns were reordered is not read by position into the wrong features.
/// </summary>
public sealed record TableHeader(IReadOnlyList<string> Columns, int Label, IReadOnlyList<int> Features)
{
    const int NamesShown = 5;

    /// <summary>The label's and the features' columns in another file whose header is <paramref name="names"/>. Refused in one
    /// line when its columns are not these (some missing, others extra), or a needed name occurs twice in a reordered header.</summary>
    public (int Label, int[] Features) Locate(string path, IReadOnlyList<string> names)
    {
        if (names.SequenceEqual(Columns, StringComparer.Ordinal)) return (Label, Features.ToArray());
        var missing = Columns.Except(names, StringComparer.Ordinal).ToArray();
        var extra = names.Except(Columns, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new TableFormatException($"{path}: its columns are not the training file's (they are matched by header name, in any order): " +
                                           string.Join("; ", new[] { ("missing", missing), ("extra", extra) }.Where(p => p.Item2.Length > 0).Select(p => $"{p.Item1} {List(p.Item2)}")));
        int Find(int trained)
        {
            var name = Columns[trained];
            var at = Enumerable.Range(0, names.Count).Where(i => names[i] == name).ToArray();
            return at.Length == 1 && Columns.Count(c => c == name) == 1 ? at[0]
                : throw new TableFormatException($"{path}: column '{name}' occurs more than once, so the columns cannot be matched by name; " +
                                                 "give them in the training file's order");
        }
        return (Find(Label), Features.Select(Find).ToArray());
    }

    static string List(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(NamesShown).Select(n => $"'{n}'")) + (names.Count > NamesShown ? $" and {names.Count - NamesShown} more" : "");
}
