namespace TorchLoss.Data.Tables;

/// <summary>Examples read from a table: features row-major (<see cref="FeatureCount"/> per row) and each row's label as text.</summary>
public sealed record LabelledRows(float[] Features, string[] Labels, IReadOnlyList<string> FeatureNames)
{
    /// <summary>Where the rows came from, as messages name it.</summary>
    public string Origin { get; init; } = "the data";

    /// <summary>How messages name the label column.</summary>
    public string LabelColumnName { get; init; } = "the label column";

    /// <summary>The file's header with the label and features chosen in it; null without one, or for rows from elsewhere.</summary>
    public TableHeader? Header { get; init; }

    /// <summary>Each row's line in its file; null for rows that came from elsewhere.</summary>
    public IReadOnlyList<int>? LineNumbers { get; init; }

    /// <summary>Names row <paramref name="index"/> in a message: its file and line, or its position.</summary>
    public string Where(int index) => LineNumbers is { } lines ? $"{Origin}: line {lines[index]}" : $"{Origin}: row {index + 1}";

    public int Count => Labels.Length;

    public int FeatureCount => FeatureNames.Count;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);
}
