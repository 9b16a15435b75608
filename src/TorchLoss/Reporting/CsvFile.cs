using System.Globalization;
using CsvHelper;
using TorchLoss.Runtime;

namespace TorchLoss.Reporting;

/// <summary>A CSV file of numeric columns, written atomically; non-finite values are left empty.</summary>
public static class CsvFile
{
    public static void Write(string path, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<double>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var column in columns) csv.WriteField(column);
            csv.NextRecord();
            foreach (var row in rows)
            {
                if (row.Count != columns.Count) throw new ArgumentException($"a row has {row.Count} values for {columns.Count} columns");
                foreach (var value in row) csv.WriteField(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "");
                csv.NextRecord();
            }
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
