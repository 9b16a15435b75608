namespace TorchLoss.Data.Tables;

/// <summary>
/// Which of a table's columns hold the label and the features, and whether its first line is a header: decided from
/// the options and the file's first two lines, before any value is read.
/// </summary>
public sealed record TableLayout(
    bool HasHeader,
    IReadOnlyList<string> ColumnNames,
    int LabelIndex,
    IReadOnlyList<int> FeatureIndices)
{
    public int ColumnCount => ColumnNames.Count;

    public IReadOnlyList<string> FeatureNames => FeatureIndices.Select(i => ColumnNames[i]).ToArray();

    /// <summary>The header with the label and features chosen in it; null for a file without one.</summary>
    public TableHeader? Header => HasHeader ? new TableHeader(ColumnNames, LabelIndex, FeatureIndices) : null;

    /// <summary>How messages name column <paramref name="index"/>: its header name, or its index.</summary>
    public string Describe(int index) => HasHeader ? $"column {index} ({ColumnNames[index]})" : $"column {index}";

    /// <param name="path">the file, as messages name it.</param>
    /// <param name="first">the file's first line after the skipped rows (null: none).</param>
    /// <param name="second">the line after it (null: none).</param>
    /// <param name="trainedOn">the header of the file a model was trained on: when this file has a header too, its label and
    /// features are those columns, found by name, and the column options are not used.</param>
    /// <param name="maxColumns">the most columns a table may have (<see cref="TableLimits.DefaultMaxColumns"/>).</param>
    public static TableLayout Resolve(string path, char separator, TableLine? first, TableLine? second, TableOptions options,
        TableHeader? trainedOn = null, int maxColumns = TableLimits.DefaultMaxColumns)
    {
        if (first is not { } firstLine) throw new TableFormatException($"{path}: the file has no rows{SkippedNote(options)}");
        var firstFields = Split(path, firstLine, separator);
        if (firstFields.Length > maxColumns)
            throw new TableFormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{path}: line {firstLine.Number} has {firstFields.Length:N0} columns, more than {maxColumns:N0}, the limit for a table"));
        var secondFields = second is { } secondLine ? Split(path, secondLine, separator) : null;
        var hasHeader = options.Header switch
        {
            HeaderMode.Present => true,
            HeaderMode.Absent => false,
            _ => LooksLikeHeader(firstFields, secondFields),
        };
        if (hasHeader && secondFields is null) throw new TableFormatException($"{path}: the file has a header but no data rows{SkippedNote(options)}");
        if (firstFields.Length < 2)
            throw new TableFormatException($"{path}: line {firstLine.Number} has {firstFields.Length} column; a table needs a label column and at least one feature " +
                                           $"(is the separator '{Printable(separator)}' right?)");
        var names = hasHeader
            ? firstFields.Select((name, i) => name.Length > 0 ? name : $"column {i}").ToArray()
            : firstFields.Select((_, i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (hasHeader && trainedOn is not null)
        {
            var (labelIndex, featureIndices) = trainedOn.Locate(path, names);
            return new TableLayout(hasHeader, names, labelIndex, featureIndices);
        }
        var columns = new ColumnSelector(path, names, hasHeader);
        var label = options.LabelColumn is { } labelColumn ? columns.Single(labelColumn, "--label-column") : names.Length - 1;
        var features = options.FeatureSelectors is { } selected
            ? selected.SelectMany(s => columns.Many(s, "--feature-columns")).Distinct().ToArray()
            : Enumerable.Range(0, names.Length).Where(i => i != label).ToArray();
        if (features.Contains(label))
            throw new TableFormatException($"{path}: {columns.Describe(label)} is the label column and cannot also be a feature");
        if (features.Length == 0) throw new TableFormatException($"{path}: no feature columns are left besides the label column");
        return new TableLayout(hasHeader, names, label, features);
    }

    static string[] Split(string path, TableLine line, char separator) =>
        TableText.Fields(line.Text, separator) ?? throw new TableFormatException($"{path}: line {line.Number}: a quote is not closed");

    /// <summary>A header when some field that is a number in the second line is not one in the first.</summary>
    static bool LooksLikeHeader(string[] first, string[]? second) => second is null
        ? first.All(f => !TableText.IsNumber(f))
        : first.Zip(second).Any(pair => !TableText.IsNumber(pair.First) && TableText.IsNumber(pair.Second));

    static string SkippedNote(TableOptions options) => options.SkipRows > 0 ? $" after the {options.SkipRows} skipped line(s)" : "";

    internal static string Printable(char separator) => separator == '\t' ? "\\t" : separator.ToString();
}
