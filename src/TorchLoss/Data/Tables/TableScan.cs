namespace TorchLoss.Data.Tables;

/// <summary>
/// Checks every row of a table file before ML.NET reads it: ML.NET's text loader turns a ragged row into zeros and a
/// word in a numeric column into NaN without a word, so each of those is refused here, naming the file, line and column.
/// </summary>
public static class TableScan
{
    /// <summary>The file's layout and the line number of each data row.</summary>
    /// <param name="trainedOn">the header of the file a model was trained on (see <see cref="TableLayout.Resolve"/>).</param>
    public static (TableLayout Layout, int[] LineNumbers) Check(string path, char separator, TableOptions options, TableHeader? trainedOn = null) =>
        Check(path, separator, options, trainedOn, TableLimits.Default);

    internal static (TableLayout Layout, int[] LineNumbers) Check(string path, char separator, TableOptions options, TableHeader? trainedOn, TableLimits limits)
    {
        RequireReadable(path);
        try
        {
            var lines = TableText.Lines(path, options.SkipRows, limits).Take(2).ToArray();
            var layout = TableLayout.Resolve(path, separator, lines.Length > 0 ? lines[0] : null, lines.Length > 1 ? lines[1] : null, options,
                trainedOn, limits.MaxColumns);
            var rows = new List<int>();
            TableLine? firstRow = null;
            foreach (var line in TableText.Lines(path, options.SkipRows, limits).Skip(layout.HasHeader ? 1 : 0))
            {
                firstRow ??= line;
                CheckRow(path, separator, layout, line, firstRow.Value);
                rows.Add(line.Number);
            }
            if (rows.Count == 0) throw new TableFormatException($"{path}: the file has no data rows");
            return (layout, rows.ToArray());
        }
        catch (InvalidDataException e)
        {
            throw new TableFormatException($"{path}: cannot be read as {(path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? "gzip-compressed text (cut short or damaged)" : "text")}: {e.Message}");
        }
    }

    static void CheckRow(string path, char separator, TableLayout layout, TableLine line, TableLine firstRow)
    {
        var fields = TableText.Fields(line.Text, separator) ?? throw new TableFormatException($"{path}: line {line.Number}: a quote is not closed");
        if (fields.Length != layout.ColumnCount)
            throw new TableFormatException($"{path}: line {line.Number} has {fields.Length} columns but " +
                                           $"{(layout.HasHeader ? "the header" : $"line {firstRow.Number}")} has {layout.ColumnCount}");
        if (fields[layout.LabelIndex].Length == 0)
            throw new TableFormatException($"{path}: line {line.Number}, {layout.Describe(layout.LabelIndex)}: the label is empty");
        foreach (var index in layout.FeatureIndices)
        {
            var value = fields[index];
            if (TableText.IsNumber(value)) continue;
            throw new TableFormatException($"{path}: line {line.Number}, {layout.Describe(index)}: " +
                (value.Length == 0 ? "the value is missing (fill it in or drop the row)" : $"'{Shorten(value)}' is not a finite number"));
        }
    }

    static void RequireReadable(string path)
    {
        if (Directory.Exists(path)) throw new TableFormatException($"{path} is a directory, not a table file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist");
        if (new FileInfo(path).Length == 0) throw new TableFormatException($"{path}: the file is empty");
    }

    static string Shorten(string value) => value.Length <= 40 ? value : value[..37] + "...";
}
