using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Comparison;

/// <summary>A finished run of the study as read back from its folder: the summary, the trained epochs' rows (1, 2, ...;
/// the tables and the reading speak of "the first epoch" as epoch 1), the initial model's row (epoch 0), if any, and which
/// test images the final model got right (null for runs that did not save their predictions).</summary>
public sealed record RunResult(PlannedRun Run, RunSummary Summary, IReadOnlyList<MetricRecord> Epochs, bool Reused, MetricRecord? Initial = null,
    SavedPredictions? TestPredictions = null)
{
    /// <summary>Which test images the final model got right (null without saved predictions).</summary>
    public IReadOnlyList<bool>? TestCorrect => TestPredictions?.Correct;

    public static RunResult Read(PlannedRun run, RunFolder folder, bool reused)
    {
        var epochs = MetricsLog.Read(folder.Path).Where(r => r.Kind == MetricRecord.EpochKind).ToList();
        return new(run, JsonFiles.Read<RunSummary>(folder.File(RunFolder.SummaryFile)), epochs.Where(r => r.Epoch >= 1).ToList(), reused,
            epochs.FirstOrDefault(r => r.Epoch == 0), Training.TestPredictions.Read(folder.File(Training.TestPredictions.File)));
    }

    /// <summary>A metric per epoch (NaN where it was not recorded).</summary>
    public double[] Series(string name) => Epochs.Select(e => e.TryGet(name, out var v) ? v : double.NaN).ToArray();

    public double First(string name) => Series(name).FirstOrDefault(double.NaN);

    public double Last(string name) => Series(name).LastOrDefault(double.NaN);
}
