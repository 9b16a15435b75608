using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Comparison;

/// <summary>A finished run of the study as read back from its folder: the summary and the epoch rows.</summary>
public sealed record RunResult(PlannedRun Run, RunSummary Summary, IReadOnlyList<MetricRecord> Epochs, bool Reused)
{
    public static RunResult Read(PlannedRun run, RunFolder folder, bool reused) => new(run,
        JsonFiles.Read<RunSummary>(folder.File(RunFolder.SummaryFile)),
        MetricsLog.Read(folder.Path).Where(r => r.Kind == MetricRecord.EpochKind).ToList(),
        reused);

    /// <summary>A metric per epoch (NaN where it was not recorded).</summary>
    public double[] Series(string name) => Epochs.Select(e => e.TryGet(name, out var v) ? v : double.NaN).ToArray();

    public double First(string name) => Series(name).FirstOrDefault(double.NaN);

    public double Last(string name) => Series(name).LastOrDefault(double.NaN);
}
