using System.Globalization;

namespace TorchLoss.Comparison;

/// <summary>
/// How ML.NET's evaluation of the arms' final models agrees with ours, over every run that has it: the largest
/// |micro accuracy − (1 − test error)| and |log-loss − test NLL| (from test_predictions.csv), and which run has it.
/// </summary>
public sealed record MlNetAgreement(int Runs, int RunsWithout, double LargestAccuracyDifference, string? AccuracyRun,
    double LargestLogLossDifference, string? LogLossRun)
{
    /// <summary>Differences up to this count as agreement (float32 probabilities, float64 sums).</summary>
    public const double Tolerance = 1e-6;

    /// <summary>Over the runs of every arm of <paramref name="study"/>; tuning runs never score the test split.</summary>
    public static MlNetAgreement Of(StudyResult study)
    {
        var runs = study.Arms.SelectMany(a => a.Runs.Select(r => (Arm: a.Arm, Run: r))).ToList();
        var scored = runs.Where(x => x.Run.Summary.MlNet is not null && x.Run.Summary.FinalTestError is not null).ToList();
        var withPredictions = scored.Where(x => x.Run.TestPredictions is not null).ToList();
        // MaxBy of an empty sequence of tuples throws: a study of runs that all predate ml_net (reused) has none.
        var accuracy = scored.Count == 0 ? default
            : scored.Select(x => (x, Difference: Math.Abs(x.Run.Summary.MlNet!.MicroAccuracy - (1 - x.Run.Summary.FinalTestError!.Value))))
                .MaxBy(d => d.Difference);
        var logLoss = withPredictions.Count == 0 ? default
            : withPredictions.Select(x => (x, Difference: Math.Abs(x.Run.Summary.MlNet!.LogLoss - x.Run.TestPredictions!.NegativeLogLikelihood)))
                .MaxBy(d => d.Difference);
        static string Name((Arm Arm, RunResult Run) x) => $"{x.Arm.Label}, {x.Arm.ModelLabel}, seed {x.Run.Run.Seed}";
        return new MlNetAgreement(scored.Count, runs.Count - scored.Count, accuracy.Difference, scored.Count > 0 ? Name(accuracy.x) : null,
            logLoss.Difference, withPredictions.Count > 0 ? Name(logLoss.x) : null);
    }

    /// <summary>The report's line on it.</summary>
    public string Sentence
    {
        get
        {
            var without = RunsWithout == 0 ? ""
                : $" {RunsWithout} run(s) predate ML.NET's evaluation (no ml_net in their summary.json) and are left out.";
            if (Runs == 0) return $"No run has ML.NET's evaluation.{without}";
            bool accuracyAgrees = LargestAccuracyDifference <= Tolerance, logLossAgrees = LargestLogLossDifference <= Tolerance;
            if (accuracyAgrees && logLossAgrees)
                return $"ML.NET's evaluation of the {Runs} final models' test predictions agrees with ours: in every run its micro accuracy " +
                       $"equals 1 − our test error and its log-loss our test NLL within {D(Tolerance)} (largest differences " +
                       $"{D(LargestAccuracyDifference)} and {D(LargestLogLossDifference)}).{without}";
            var accuracy = accuracyAgrees
                ? $"its micro accuracy equals 1 − our test error within {D(Tolerance)} in every run"
                : $"its micro accuracy differs from 1 − our test error by up to {D(LargestAccuracyDifference * 100)} points ({AccuracyRun}; " +
                  "ML.NET predicts the first largest output, we the largest logit: they differ where outputs tie in float32)";
            var logLoss = logLossAgrees
                ? $"its log-loss equals our test NLL within {D(Tolerance)} in every run"
                : $"its log-loss differs from our test NLL by up to {D(LargestLogLossDifference)} ({LogLossRun}; ML.NET clamps probabilities " +
                  "at 1e-15, our NLL at 1e-12)";
            return $"ML.NET's evaluation of the {Runs} final models' test predictions differs from ours: {accuracy}; {logLoss}.{without}";
        }
    }

    static string D(double v) => v == 0 ? "0" : v.ToString(Math.Abs(v) < 1e-3 ? "0.0e+0" : "G3", CultureInfo.InvariantCulture);
}
