namespace TorchLoss.Data.Tables;

/// <summary>Dataset names that are table files: "csv:PATH" (comma-separated) and "tsv:PATH" (tab-separated).</summary>
public static class TableDatasets
{
    public const string Syntax = "csv:PATH or tsv:PATH";

    public static bool TryParse(string dataset, out TableFile file)
    {
        file = null!;
        var colon = dataset.IndexOf(':');
        if (colon < 0) return false;
        var separator = dataset[..colon].ToLowerInvariant() switch
        {
            "csv" => ',',
            "tsv" => '\t',
            _ => (char?)null,
        };
        if (separator is not char s) return false;
        var path = dataset[(colon + 1)..];
        if (path.Length == 0) throw new FormatException($"dataset '{dataset}': the path after '{dataset[..colon]}:' is empty");
        file = new TableFile(path, s);
        return true;
    }

    public static bool IsFile(string dataset) => TryParse(dataset, out _);

    /// <summary>The dataset name with its path made absolute, so a run can be resumed from any directory.</summary>
    public static string Absolute(string dataset) =>
        TryParse(dataset, out var file) ? $"{file.Format}:{Path.GetFullPath(file.Path)}" : dataset;
}
