using Microsoft.ML;
using Microsoft.ML.Data;

namespace TorchLoss.Data.Tables;

/// <summary>
/// A CSV or TSV file of examples: checked row by row (<see cref="TableScan"/>), then loaded with ML.NET's text loader
/// into an <see cref="IDataView"/> with a text "Label" column and a float vector "Features" column.
/// </summary>
public sealed record TableFile(string Path, char Separator)
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    public string Format => Separator == '\t' ? "tsv" : "csv";

    /// <summary>How large its lines, columns and decompressed size may be; smaller in tests of the limits.</summary>
    internal TableLimits Limits { get; init; } = TableLimits.Default;

    /// <param name="trainedOn">the header of the file a model was trained on: with a header, this file's label and features
    /// are those columns, by name (<see cref="TableLayout.Resolve"/>).</param>
    public (IDataView View, TableLayout Layout, int[] LineNumbers) Load(TableOptions options, MLContext? context = null, TableHeader? trainedOn = null)
    {
        var (layout, lines) = TableScan.Check(Path, Separator, options, trainedOn, Limits);
        var loader = (context ?? new MLContext(seed: 0)).Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [Separator],
            HasHeader = false, // the source below leaves the header out
            AllowQuoting = true,
            TrimWhitespace = true,
            Columns =
            [
                new TextLoader.Column(LabelColumn, DataKind.String, layout.LabelIndex),
                new TextLoader.Column(FeaturesColumn, DataKind.Single, layout.FeatureIndices.Select(i => new TextLoader.Range(i)).ToArray()),
            ],
        });
        var view = loader.Load(new TableLinesSource(Path, options.SkipRows, layout.HasHeader, Limits));
        return (view, layout, lines);
    }

    /// <summary>The checked file's rows, read through ML.NET.</summary>
    /// <param name="trainedOn">as for <see cref="Load"/>.</param>
    public LabelledRows Read(TableOptions options, TableHeader? trainedOn = null)
    {
        var (view, layout, lines) = Load(options, trainedOn: trainedOn);
        var rows = DataViewRows.Read(view, LabelColumn, [FeaturesColumn]);
        if (rows.Count != lines.Length)
            throw new TableFormatException($"{Path}: ML.NET read {rows.Count} rows where {lines.Length} were checked; the file may have changed while it was read");
        return rows with { FeatureNames = layout.FeatureNames, LineNumbers = lines, Origin = Path, LabelColumnName = layout.Describe(layout.LabelIndex), Header = layout.Header };
    }
}
