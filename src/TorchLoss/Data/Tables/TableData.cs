using Microsoft.ML;
using TorchSharp;

namespace TorchLoss.Data.Tables;

/// <summary>
/// Turns a table file (and an optional test file) into training, validation and test splits on a device: labels mapped
/// to classes, a seeded stratified test split (unless a test file is given), a stratified validation split from the
/// rest, the training limit, and per-feature standardisation fitted on the training split alone.
/// </summary>
public static class TableData
{
    const int TestStream = -1, ValidationStream = -2; // the split seed's two streams, apart from every epoch's

    /// <param name="classNames">names for labels 0..K-1 (a dataset that names its classes); null: the label values.</param>
    public static ClassificationData Load(TableFile file, TableOptions options, DataOptions data, torch.Device device,
                                          IReadOnlyList<string>? classNames = null)
    {
        options.Validate();
        RefuseBinary(data);
        var rows = file.Read(options);
        // A test file with a header is read by the training file's column names.
        var test = options.TestFile is { } testPath ? (file with { Path = testPath }).Read(options, rows.Header) : null;
        var source = new RowSource(Path.GetFullPath(file.Path), options.LabelColumn ?? "last", rows.Header,
            FileCheck.Sha256Hex(file.Path), options.TestFile is { } t ? FileCheck.Sha256Hex(t) : null);
        return FromRows(rows, test, options, data, device, classNames, source);
    }

    /// <summary>Where the rows came from, as the provenance records it.</summary>
    sealed record RowSource(string Origin, string LabelColumn, TableHeader? Header = null, string? FileSha256 = null, string? TestFileSha256 = null);

    /// <summary>
    /// The same splits from any ML.NET <see cref="IDataView"/> (a database, data in memory): <paramref name="labelColumn"/>
    /// holds the labels, <paramref name="featureColumns"/> numbers or fixed-size vectors of numbers. <paramref name="test"/>,
    /// when given, is the test split; otherwise <see cref="TableOptions.TestFraction"/> of the rows. Only the split settings
    /// of <paramref name="options"/> apply (the columns are named here).
    /// </summary>
    public static ClassificationData FromDataView(IDataView view, string labelColumn, IReadOnlyList<string> featureColumns,
        TableOptions options, DataOptions data, torch.Device device, IDataView? test = null)
    {
        options.Validate();
        RefuseBinary(data);
        var rows = DataViewRows.Read(view, labelColumn, featureColumns) with { LabelColumnName = $"column '{labelColumn}'" };
        var testRows = test is null ? null
            : DataViewRows.Read(test, labelColumn, featureColumns) with { Origin = "the test data", LabelColumnName = $"column '{labelColumn}'" };
        return FromRows(rows, testRows, options, data, device, classNames: null, new RowSource("an IDataView", labelColumn));
    }

    /// <summary>
    /// Every row of <paramref name="file"/> as the test split for a model trained on a table: labels mapped to the classes
    /// the run recorded (a label it never saw is refused), features standardised with the run's own transform, never
    /// refitted. The training and validation splits are empty. When both files have a header, the run's label and feature
    /// columns are found by name, in any order (a file with other columns is refused); otherwise by position.
    /// </summary>
    public static ClassificationData ForModel(TableFile file, TableOptions format, TableProvenance trainedOn, IReadOnlyList<string> classNames,
        FeatureStandardization? standardization, torch.Device device)
    {
        var rows = file.Read(format, trainedOn.Header);
        if (rows.FeatureCount != trainedOn.FeatureColumns.Count)
            throw new TableFormatException($"{file.Path}: has {rows.FeatureCount} feature columns but the model was trained on {trainedOn.FeatureColumns.Count} " +
                                           $"({string.Join(", ", trainedOn.FeatureColumns.Take(5))}{(trainedOn.FeatureColumns.Count > 5 ? ", ..." : "")})");
        var mapping = ClassMapping.Recorded(trainedOn.LabelValues, classNames);
        var labels = mapping.Map(rows.Labels, rows.Where, $"is not one the model was trained on ({string.Join(", ", mapping.Values.Take(10))})");
        var all = Enumerable.Range(0, rows.Count).ToArray();
        var provenance = trainedOn with
        {
            File = Path.GetFullPath(file.Path), TestFile = null, TrainRows = 0, ValidationRows = 0, TestRows = rows.Count,
            FileSha256 = null, TestFileSha256 = null,
        };
        (float[], long[]) empty = ([], []);
        return ClassificationData.FromTable(rows.FeatureCount, mapping.Names, device, empty, empty,
            (standardization?.Apply(rows, all) ?? Raw(rows, all), labels), standardization, provenance);
    }

    static void RefuseBinary(DataOptions data)
    {
        if (data.Binary is not null) throw new FormatException("--binary applies to image datasets; choose a table's classes with its label column");
    }

    static ClassificationData FromRows(LabelledRows rows, LabelledRows? test, TableOptions options, DataOptions data, torch.Device device,
        IReadOnlyList<string>? classNames, RowSource source)
    {
        if (test is not null && test.FeatureCount != rows.FeatureCount)
            throw new TableFormatException($"{test.Origin}: has {test.FeatureCount} feature columns but {rows.Origin} has {rows.FeatureCount}");

        var mapping = classNames is null ? ClassMapping.FromLabels(rows.Labels) : ClassMapping.Named(classNames);
        var labels = mapping.Map(rows.Labels, rows.Where, $"is not one of the dataset's classes 0..{mapping.Count - 1}");
        if (mapping.Count < 2)
            throw new TableFormatException($"{rows.Origin}: every row has class '{mapping.Values[0]}' in {rows.LabelColumnName}; a classifier needs at least two classes");
        var testLabels = test is null ? null : mapping.Map(test.Labels, test.Where, $"does not occur in the training file {rows.Origin}");

        var all = Enumerable.Range(0, rows.Count).ToArray();
        var (testRows, pool) = test is null
            ? StratifiedSplit.Take(all, labels, mapping.Count, (int)Math.Round(rows.Count * options.TestFraction), options.SplitSeed, TestStream)
            : ([], all);
        if (test is null && testRows.Length == 0 && data.ScoresTest)
            throw EmptySplit(rows.Origin, "test", (int)Math.Round(rows.Count * options.TestFraction), $"a {options.TestFraction:0.###} share of {rows.Count} rows",
                "--test-fraction", "a --test-file, or --no-test to train without one");
        var validationSize = data.ValidationSize ?? (int)Math.Round(pool.Length * TableOptions.DefaultValidationFraction);
        if (validationSize >= pool.Length)
            throw new FormatException($"validation size {validationSize} must be below the {pool.Length} training rows");
        var (validationRows, trainRows) = StratifiedSplit.Take(pool, labels, mapping.Count, validationSize, options.SplitSeed, ValidationStream);
        if (validationRows.Length == 0 && data.ValidationSize != 0)
            throw EmptySplit(rows.Origin, "validation", validationSize, $"a {TableOptions.DefaultValidationFraction:0.###} share of {pool.Length} training rows",
                "--validation-size", "or --validation-size 0 to train without one");
        if (data.TrainLimit is int limit && limit < trainRows.Length) trainRows = trainRows[..limit];
        RequireEveryClass(rows.Origin, mapping, labels, trainRows);

        var standardization = data.Standardize ?? true ? FeatureStandardization.Fit(rows, trainRows) : null;
        (float[], long[]) Split(LabelledRows source, long[] classes, IReadOnlyList<int> selected) =>
            (standardization?.Apply(source, selected) ?? Raw(source, selected), selected.Select(i => classes[i]).ToArray());
        var provenance = new TableProvenance(source.Origin, options.TestFile is { } t ? Path.GetFullPath(t) : test is null ? null : test.Origin,
            source.LabelColumn, rows.FeatureNames, mapping.Values, options.SplitSeed, trainRows.Length, validationRows.Length,
            test?.Count ?? testRows.Length, source.Header, source.FileSha256, source.TestFileSha256);
        return ClassificationData.FromTable(rows.FeatureCount, mapping.Names, device,
            Split(rows, labels, trainRows), Split(rows, labels, validationRows),
            test is null ? Split(rows, labels, testRows) : Split(test, testLabels!, Enumerable.Range(0, test.Count).ToArray()),
            standardization, provenance);
    }

    /// <summary>A split that a stratified split left empty: the share asked for rounded to no row, or every class has a single
    /// row, which the split leaves for training.</summary>
    /// <param name="size">the option that sets the split's size.</param>
    /// <param name="otherwise">the other ways out, after the remedy for the cause.</param>
    static TableFormatException EmptySplit(string origin, string split, int asked, string share, string size, string otherwise) =>
        new($"{origin}: the {split} split is empty " + (asked == 0
            ? $"({share} rounds to none); give more rows, a larger {size}, {otherwise}"
            : $"(every class has a single row, which training keeps); give more rows per class, {otherwise}"));

    static void RequireEveryClass(string path, ClassMapping mapping, long[] labels, int[] trainRows)
    {
        var counts = new int[mapping.Count];
        foreach (var row in trainRows) counts[labels[row]]++;
        var missing = Enumerable.Range(0, mapping.Count).Where(c => counts[c] == 0).ToArray();
        if (missing.Length == 0) return;
        var total = labels.Count(l => l == missing[0]);
        throw new TableFormatException($"{path}: class '{mapping.Names[missing[0]]}' has no training example " +
            (total == 0 ? "(no row of the file has it)" : $"({total} row(s) in all; a smaller --train-limit or validation split would keep one)"));
    }

    static float[] Raw(LabelledRows rows, IReadOnlyList<int> selected)
    {
        var result = new float[selected.Count * rows.FeatureCount];
        for (var i = 0; i < selected.Count; i++) rows.Row(selected[i]).CopyTo(result.AsSpan(i * rows.FeatureCount));
        return result;
    }
}
