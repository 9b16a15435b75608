using System.Globalization;
using CsvHelper;
using TorchLoss.Reporting.Plots;

namespace TorchLoss.Reporting;

/// <summary>A run folder's epoch rows (epoch 0 is the initial model) as curves to plot.</summary>
public static class RunCurves
{
    /// <summary>The epoch rows of the run in <paramref name="folder"/>: from metrics.jsonl, or metrics.csv when there is
    /// no metrics.jsonl. <see cref="DirectoryNotFoundException"/> for a missing folder, <see cref="InvalidDataException"/>
    /// (one line) for a folder holding neither file or an unreadable one.</summary>
    public static IReadOnlyList<MetricRecord> ReadEpochs(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"{full} does not exist");
        if (File.Exists(Path.Combine(full, MetricsLog.JsonLinesFile)))
            return MetricsLog.Read(full).Where(r => r.Kind == MetricRecord.EpochKind).ToList();
        var csv = Path.Combine(full, MetricsLog.EpochCsvFile);
        if (File.Exists(csv)) return ReadCsv(csv);
        throw new InvalidDataException($"{full} is not a run folder (it has no {MetricsLog.JsonLinesFile} or {MetricsLog.EpochCsvFile})");
    }

    static List<MetricRecord> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var records = new List<MetricRecord>();
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header || header.Length < 2 || header[0] != "epoch" || header[1] != "step")
                throw new InvalidDataException($"{path}: the first line is not the header of a metrics table (epoch,step,...)");
            while (csv.Read())
            {
                var values = header.Skip(2).Select(name => KeyValuePair.Create(name, csv.GetField(name) is { Length: > 0 } text
                    ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : double.NaN)).ToList();
                records.Add(new MetricRecord(MetricRecord.EpochKind, int.Parse(csv.GetField(0)!, CultureInfo.InvariantCulture),
                    long.Parse(csv.GetField(1)!, CultureInfo.InvariantCulture), values));
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or CsvHelperException)
        {
            throw new InvalidDataException($"{path}: line {csv.Parser.RawRow} is not a row of numbers ({FirstLine(e.Message)})");
        }
        return records;
    }

    static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>One metric of one run per epoch, as the axis shows it (percent for errors); non-finite values break the line.</summary>
    public static Series Curve(string name, IReadOnlyList<MetricRecord> epochs, RunMetric metric, bool dashed = false) =>
        new(name, epochs.Select(r => ((double)r.Epoch, r.TryGet(metric.Column, out var v) ? metric.Scale(v) : double.NaN)).ToList(), dashed);

    /// <summary>Whether any epoch row has a finite value of <paramref name="metric"/>.</summary>
    public static bool Has(IReadOnlyList<MetricRecord> epochs, RunMetric metric) =>
        epochs.Any(r => r.TryGet(metric.Column, out var v) && double.IsFinite(v));

    /// <summary>A plot of <paramref name="series"/> against the epoch with <paramref name="metric"/>'s axis.</summary>
    public static LinePlot Plot(string title, RunMetric metric, IReadOnlyList<Series> series, string? yLabel = null) =>
        new(title, "epoch", yLabel ?? metric.Label, series)
        {
            LogY = metric.Log,
            YUnit = metric.Percent ? "%" : null,
            YMin = metric.Percent && !metric.Log ? 0 : null,
            YMax = metric.Percent && !metric.Log ? 100 : null,
            XTicksAtData = true,
        };

    /// <summary>One metric of several runs overlaid, one colour per run, the legend naming each run.</summary>
    public static LinePlot Overlay(IReadOnlyList<(string Name, IReadOnlyList<MetricRecord> Epochs)> runs, RunMetric metric) =>
        Plot($"{char.ToUpperInvariant(metric.Label[0])}{metric.Label[1..]} per epoch (epoch 0: the initial model)", metric,
            runs.Select(r => Curve(r.Name, r.Epochs, metric)).ToList());
}
