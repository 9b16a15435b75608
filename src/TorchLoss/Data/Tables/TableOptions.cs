namespace TorchLoss.Data.Tables;

/// <summary>Whether a table's first line (after the skipped rows) names its columns.</summary>
public enum HeaderMode
{
    /// <summary>A header when some column that is numeric in the second line is not numeric in the first.</summary>
    Auto,
    Present,
    Absent,
}

/// <summary>
/// How to read a table of examples (one row per example, numeric features and a label column) and split it into
/// training, validation and test examples. Column selectors are names (with a header) or 0-based indices; a range
/// "2-5" takes columns 2 to 5. Every split is stratified by class and seeded by <see cref="SplitSeed"/>, which stays
/// the same whatever the training seed, so runs with different seeds see the same examples.
/// </summary>
public sealed record TableOptions
{
    public const double DefaultTestFraction = 0.2;

    /// <summary>The share of the training examples (after the test split) held out for validation unless a count is given.</summary>
    public const double DefaultValidationFraction = 0.2;

    /// <summary>The label column's name or 0-based index; null: the last column.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Comma-separated feature columns (names, indices or ranges); null: every column but the label. Text, not a
    /// list, so that two configs with the same columns are equal records.</summary>
    public string? FeatureColumns { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string>? FeatureSelectors =>
        FeatureColumns?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Lines skipped before the header or data (scikit-learn's CSVs start with a line of counts and class names).</summary>
    public int SkipRows { get; init; }

    public HeaderMode Header { get; init; } = HeaderMode.Auto;

    /// <summary>A second file, read the same way, that is the test split; null: <see cref="TestFraction"/> of the rows.</summary>
    public string? TestFile { get; init; }

    public double TestFraction { get; init; } = DefaultTestFraction;

    public ulong SplitSeed { get; init; }

    /// <summary>Throws FormatException with a message fit for a user.</summary>
    public void Validate()
    {
        if (SkipRows < 0) throw new FormatException($"skip rows must be >= 0, got {SkipRows}");
        if (!(TestFraction > 0 && TestFraction < 1)) throw new FormatException($"test fraction must lie strictly between 0 and 1, got {TestFraction}");
        if (LabelColumn is { } label && string.IsNullOrWhiteSpace(label)) throw new FormatException("the label column is empty");
        if (FeatureColumns is not null && FeatureSelectors!.Count == 0) throw new FormatException("the feature column list is empty");
    }
}
