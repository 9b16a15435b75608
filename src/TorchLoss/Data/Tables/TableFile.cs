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

    public (IDataView View, TableLayout Layout, int[] LineNumbers) Load(TableOptions options, MLContext? context = null)
    {
        var (layout, lines) = TableScan.Check(Path, Separator, options);
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
        var view = loader.Load(new TableLinesSource(Path, options.SkipRows, layout.HasHeader));
        return (view, layout, lines);
    }

    /// <summary>The checked file's rows, read through ML.NET.</summary>
    public LabelledRows Read(TableOptions options)
    {
        var (view, layout, lines) = Load(options);
        var rows = DataViewRows.Read(view, LabelColumn, [FeaturesColumn]);
        if (rows.Count != lines.Length)
            throw new TableFormatException($"{Path}: ML.NET read {rows.Count} rows where {lines.Length} were checked; the file may have changed while it was read");
        return rows with { FeatureNames = layout.FeatureNames, LineNumbers = lines, Origin = Path, LabelColumnName = layout.Describe(layout.LabelIndex) };
    }
}
