using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Runs;

/// <summary>
/// Whether a finished run's files agree with each other, so that reusing it (as `compare` does) reports what was
/// trained: summary.json, the epoch rows of metrics.jsonl and metrics.csv, state.json, the checksummed parameter
/// files and model.safetensors (where there is one: runs from before it and diverged runs have none). A file emptied, cut
/// or edited by hand makes the run one to train again.
/// </summary>
public static class RunConsistency
{
    /// <summary>What is wrong with the complete run in <paramref name="run"/>, or null when its files agree.</summary>
    public static string? Problem(RunFolder run)
    {
        try { return Check(run); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return e.Message.Split('\n')[0];
        }
    }

    static string? Check(RunFolder run)
    {
        if (!run.IsComplete) return "it is not complete";
        var summary = JsonFiles.Read<RunSummary>(run.File(RunFolder.SummaryFile));
        var epochRows = MetricsLog.Read(run.Path).Where(r => r.Kind == MetricRecord.EpochKind).ToList();
        var epochs = epochRows.Select(r => r.Epoch).ToList();
        if (!epochs.SequenceEqual(Enumerable.Range(0, summary.Epochs + 1)))
            return $"{MetricsLog.JsonLinesFile} has epoch rows [{string.Join(", ", epochs)}] but {RunFolder.SummaryFile} says epochs 0 to {summary.Epochs}";
        var last = epochRows[^1];
        if (!Same(last, "test_error", summary.FinalTestError) || !Same(last, "validation_error", summary.FinalValidationError))
            return $"the last epoch row of {MetricsLog.JsonLinesFile} does not match {RunFolder.SummaryFile}";
        var csvRows = CsvRows(run.File(MetricsLog.EpochCsvFile));
        if (csvRows != epochs.Count)
            return $"{MetricsLog.EpochCsvFile} has {csvRows} epoch rows, {MetricsLog.JsonLinesFile} {epochs.Count}";
        if (run.ReadState() is not { } state || state.Epoch != summary.Epochs)
            return $"{RunFolder.StateFile} does not name epoch {summary.Epochs}'s checkpoint";
        Verify(run.File(RunFolder.ModelFile));
        if (summary.BestEpoch is not null) Verify(run.File(RunFolder.BestModelFile));
        if (File.Exists(run.File(SafetensorsExport.File))) SafetensorsExport.Verify(run.File(SafetensorsExport.File));
        return null;
    }

    static bool Same(MetricRecord row, string name, double? expected)
    {
        var logged = row.TryGet(name, out var value) && double.IsFinite(value) ? value : (double?)null;
        return logged == expected;
    }

    /// <summary>Data rows of a CSV file, or -1 when it is missing or holds a NUL byte (a write cut short on some filesystems).</summary>
    static int CsvRows(string path)
    {
        if (!File.Exists(path)) return -1;
        var text = File.ReadAllText(path);
        if (text.Contains('\0')) return -1;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
    }

    static void Verify(string parameterFile)
    {
        if (!File.Exists(parameterFile)) throw new InvalidDataException($"{Path.GetFileName(parameterFile)} is missing");
        foreach (var tensor in ParameterFile.Read(parameterFile).Values) tensor.Dispose();
    }
}
