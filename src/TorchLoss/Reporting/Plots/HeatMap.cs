namespace TorchLoss.Reporting.Plots;

/// <summary>One matrix of counts in a <see cref="HeatMapGrid"/> (e.g. a confusion matrix, rows the true class).</summary>
public sealed record HeatMapPanel(string Title, IReadOnlyList<IReadOnlyList<long>> Counts);

/// <summary>Matrices of counts side by side, <see cref="Columns"/> to a row, sharing the row and column labels. Each cell
/// is shaded by its share of its row (so rows of different sizes compare); its count and share are its tooltip.</summary>
public sealed record HeatMapGrid(string Title, string RowName, string ColumnName, IReadOnlyList<string> Labels, IReadOnlyList<HeatMapPanel> Panels)
{
    public int Columns { get; init; } = 4;
    /// <summary>A cell's side in pixels.</summary>
    public int Cell { get; init; } = 14;
}
