using System.CommandLine;
using TorchLoss.Data;
using TorchLoss.Data.Tables;

namespace TorchLoss.Cli.Commands;

/// <summary>The options of `train` and `compare` that say how a table dataset is read and split, and how they become a
/// <see cref="TableOptions"/> (null for an image dataset, which none of them may be given for).</summary>
public sealed class TableCliOptions
{
    public static readonly string DatasetHelp = "mnist, fashion-mnist, a table of the manifest (digits, iris, wine, breast-cancer), or a file: " +
                                                TableDatasets.Syntax + $" (see --label-column and the other table options; {TableLimits.Summary}).";

    public readonly Option<string?> LabelColumn = new("--label-column") { HelpName = "COLUMN", Description = "Table: the label column, by header name or 0-based index (-1: the last; default: the last)." };
    public readonly Option<string?> FeatureColumns = new("--feature-columns") { HelpName = "COLUMNS", Description = "Table: comma-separated feature columns (names, indices or ranges such as 0-3; default: all but the label)." };
    public readonly Option<int> SkipRows = NumericOptions.Int("--skip-rows", "Table: lines to skip before the header or data (e.g. 1 for scikit-learn's CSVs).", 0, min: 0).Shows("N");
    public readonly Option<string> Header = new("--header") { Description = "Table: does the first line name the columns? auto (default), yes or no.", DefaultValueFactory = _ => "auto" };
    public readonly Option<string?> TestFile = PathOptions.OptionalPath("--test-file", "Table: a second file, read the same way (with a header: its columns found by the training file's names), as the test split (default: a stratified share of the rows).").Shows("FILE");
    public readonly Option<double> TestFraction = NumericOptions.Double("--test-fraction", "Table: share of the rows held out (stratified) as the test split, in (0, 1).",
        TableOptions.DefaultTestFraction, positive: true, max: 1, belowMax: true).Shows("FRACTION");
    public readonly Option<ulong> SplitSeed = NumericOptions.Seed("--split-seed", "Table: seed of the stratified test and validation splits (the same for every training seed).", 0).Shows("N");

    public TableCliOptions() => Header.With("auto", "yes", "no");

    public IEnumerable<Option> All() => [LabelColumn, FeatureColumns, SkipRows, Header, TestFile, TestFraction, SplitSeed];

    /// <summary>The options that say how a file is read (the manifest's tables define these themselves).</summary>
    IEnumerable<Option> FormatOptions() => [LabelColumn, FeatureColumns, SkipRows, Header, TestFile];

    /// <summary>The table settings for <paramref name="dataset"/>; null for an image dataset. Throws UserException when
    /// options are given that the dataset cannot use.</summary>
    /// <param name="baseline">settings the given options apply over (a --config file's); null: the defaults.</param>
    public TableOptions? ToOptions(ParseResult p, string dataset, DatasetManifest manifest, TableOptions? baseline = null)
    {
        var isFile = TableDatasets.IsFile(dataset);
        var spec = isFile ? null : manifest.Datasets.FirstOrDefault(d => d.Name == dataset);
        if (!isFile && spec is { IsTable: false })
        {
            if (All().FirstOrDefault(o => TrainOptions.Given(p, o)) is { } given)
                throw new UserException($"{given.Name} applies to table datasets; {dataset} is an image dataset");
            return null;
        }
        if (!isFile && FormatOptions().FirstOrDefault(o => TrainOptions.Given(p, o)) is { } format)
            throw new UserException($"{format.Name} applies to csv: and tsv: files; {dataset} defines its own columns and split");
        baseline ??= new TableOptions();
        T Pick<T>(Option<T> option, T current) => TrainOptions.Given(p, option) ? p.GetValue(option)! : current;
        return baseline with
        {
            LabelColumn = Pick(LabelColumn, baseline.LabelColumn),
            FeatureColumns = TrainOptions.Given(p, FeatureColumns) && p.GetValue(FeatureColumns) is { } columns
                ? string.Join(',', OptionParsing.Strings("--feature-columns", columns))
                : baseline.FeatureColumns,
            SkipRows = Pick(SkipRows, baseline.SkipRows),
            Header = TrainOptions.Given(p, Header) ? ParseHeader(p.GetValue(Header)!) : baseline.Header,
            TestFile = Pick(TestFile, baseline.TestFile) is { } test ? PathOptions.RegularFile(test, "--test-file") : null,
            TestFraction = Pick(TestFraction, baseline.TestFraction),
            SplitSeed = Pick(SplitSeed, baseline.SplitSeed),
        };
    }

    /// <summary>Each option that decides what a run computes, with the setting it becomes (compared on --resume).</summary>
    public IEnumerable<(Option Option, Func<Training.TrainConfig, object?> Setting)> Settings() =>
    [
        (LabelColumn, c => c.Table?.LabelColumn), (FeatureColumns, c => c.Table?.FeatureColumns),
        (SkipRows, c => c.Table?.SkipRows ?? 0), (Header, c => c.Table?.Header ?? HeaderMode.Auto), (TestFile, c => c.Table?.TestFile),
        (TestFraction, c => c.Table?.TestFraction ?? TableOptions.DefaultTestFraction), (SplitSeed, c => c.Table?.SplitSeed ?? 0UL),
    ];

    public static HeaderMode ParseHeader(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => HeaderMode.Auto,
        "yes" or "present" => HeaderMode.Present,
        "no" or "absent" => HeaderMode.Absent,
        _ => throw new UserException($"--header '{text}': expected auto, yes or no"),
    };

    /// <summary>A table file's dataset name with its path absolute, refused before anything runs unless the file exists.</summary>
    public static string Dataset(string dataset)
    {
        if (!TableDatasets.TryParse(dataset, out var file)) return dataset;
        PathOptions.RegularFile(file.Path, "--dataset");
        return TableDatasets.Absolute(dataset);
    }

}
