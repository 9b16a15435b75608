namespace TorchLoss.Comparison;

/// <summary>An arm's runs over all seeds and what the report shows of them.</summary>
public sealed record ArmResult(Arm Arm, double LearningRate, IReadOnlyList<RunResult> Runs, double TargetAccuracy, StuckRule Stuck)
{
    public MeanStd FinalTestError => MeanStd.Of(Runs.Select(r => r.Summary.FinalTestError ?? double.NaN));

    /// <summary>The final test error's mean with its t-based 95 % interval over seeds.</summary>
    public Statistics.MeanInterval FinalTestErrorInterval => Statistics.MeanInterval.Of(Runs.Select(r => r.Summary.FinalTestError ?? double.NaN));

    /// <summary>Seeds that are stuck by <see cref="Stuck"/> after their last epoch.</summary>
    public int StuckSeeds => Runs.Count(r => Stuck.IsStuck(r.Last("validation_error")));

    /// <summary>A run diverges when its training loss after its last epoch is more than this many times its lowest: it still
    /// counts as stuck by its error, but its rate, not a plateau, is the cause.</summary>
    public const double DivergenceGrowth = 1000;

    /// <summary>How many times its lowest epoch's training loss each seed's last one is (NaN without two finite epochs).</summary>
    public IReadOnlyList<double> TrainLossGrowth => Runs.Select(r =>
    {
        var losses = r.Series("train_loss").Where(double.IsFinite).ToList();
        return losses.Count >= 2 && losses.Min() > 0 ? losses[^1] / losses.Min() : double.NaN;
    }).ToList();

    /// <summary>Seeds whose training loss ended more than <see cref="DivergenceGrowth"/> times its lowest.</summary>
    public int DivergingSeeds => TrainLossGrowth.Count(g => g > DivergenceGrowth);

    /// <summary>Each seed's final test error, e.g. "89.90 / 2.79 / 2.55 %".</summary>
    public string PerSeedPercent => Runs.Count == 0 ? "–" : string.Join(" / ", Runs.OrderBy(r => r.Run.Seed)
        .Select(r => r.Summary.FinalTestError is { } e ? (e * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "–")) + " %";

    /// <summary>Test negative log-likelihood of the final models (−ln of the head's true-class probability), over the seeds
    /// that saved predictions.</summary>
    public MeanStd TestNegativeLogLikelihood => MeanStd.Of(Runs.Select(r => r.TestPredictions?.NegativeLogLikelihood ?? double.NaN));

    /// <summary>Expected calibration error of the final models on the test split (15 bins), over the seeds that saved predictions.</summary>
    public MeanStd ExpectedCalibrationError => MeanStd.Of(Runs.Select(r => r.TestPredictions?.ExpectedCalibrationError ?? double.NaN));

    /// <summary>ML.NET's confusion matrices of the final models on the test split (rows the true class, columns the
    /// predicted one), summed over the seeds whose summary has one; null when none has (runs from before ML.NET's evaluation).</summary>
    public long[][]? ConfusionMatrix
    {
        get
        {
            var matrices = Runs.Select(r => r.Summary.MlNet?.ConfusionMatrix).OfType<long[][]>().ToList();
            if (matrices.Count == 0) return null;
            return matrices[0].Select((row, i) => row.Select((_, j) => matrices.Sum(m => m[i][j])).ToArray()).ToArray();
        }
    }

    /// <summary>Seeds whose summary has ML.NET's evaluation.</summary>
    public int SeedsWithMlNet => Runs.Count(r => r.Summary.MlNet is not null);

    public MeanStd BestValidationError => MeanStd.Of(Runs.Select(r => r.Summary.BestValidationError ?? double.NaN));

    /// <summary>The test error of the best validation epoch (early stopping's pick), beside the last epoch's.</summary>
    public MeanStd TestErrorAtBestEpoch => MeanStd.Of(Runs.Select(r => r.Summary.TestErrorAtBestEpoch ?? double.NaN));

    public MeanStd BestEpoch => MeanStd.Of(Runs.Select(r => (double)(r.Summary.BestEpoch ?? 0)).Where(e => e > 0));

    /// <summary>First epoch whose validation accuracy reaches the target, over the seeds that reached it.</summary>
    public MeanStd EpochsToTarget => MeanStd.Of(Runs.Select(EpochToTarget).Where(e => e is not null).Select(e => (double)e!));

    public int SeedsReachingTarget => Runs.Count(r => EpochToTarget(r) is not null);

    /// <summary>SGD steps until the end of the first epoch at the target accuracy, over the seeds that reached it.</summary>
    public MeanStd StepsToTarget => MeanStd.Of(Runs.Select(r => EpochToTarget(r) is { } e ? (double)r.Epochs.First(x => x.Epoch == e).Step : double.NaN)
        .Where(double.IsFinite));

    /// <summary>Training seconds (wall clock, evaluation excluded) until then, over the seeds that reached it.</summary>
    public MeanStd SecondsToTarget => MeanStd.Of(Runs.Select(r => EpochToTarget(r) is { } e ? r.Series("wall_seconds").Take(e).Sum() : double.NaN)
        .Where(double.IsFinite));

    int? EpochToTarget(RunResult r)
    {
        var accuracy = r.Series("validation_accuracy");
        for (var i = 0; i < accuracy.Length; i++)
            if (accuracy[i] >= TargetAccuracy) return i + 1;
        return null;
    }

    public IReadOnlyList<string> Layers => Runs.Count == 0 ? [] : Runs[0].Epochs.FirstOrDefault()?.Values
        .Select(v => v.Key).Where(k => k.StartsWith("grad_norm_mean/", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal))
        .Select(k => k["grad_norm_mean/".Length..^".weight".Length]).ToList() ?? [];

    /// <summary>A metric of the initial model (epoch 0, before any step), over the seeds that recorded one.</summary>
    public MeanStd Initial(string metric) => MeanStd.Of(Runs.Select(r => r.Initial is { } i && i.TryGet(metric, out var v) ? v : double.NaN));

    public MeanStd FirstEpoch(string metric) => MeanStd.Of(Runs.Select(r => r.First(metric)));

    public MeanStd LastEpoch(string metric) => MeanStd.Of(Runs.Select(r => r.Last(metric)));

    /// <summary>The per-epoch lowest and highest value over seeds of a metric (NaN where no seed recorded it).</summary>
    public (double[] Low, double[] High) SeedRange(string metric)
    {
        var series = Runs.Select(r => r.Series(metric)).ToList();
        var length = series.Count == 0 ? 0 : series.Max(s => s.Length);
        var values = Enumerable.Range(0, length).Select(i => series.Where(s => i < s.Length).Select(s => s[i]).Where(double.IsFinite).ToList()).ToList();
        return (values.Select(v => v.Count == 0 ? double.NaN : v.Min()).ToArray(), values.Select(v => v.Count == 0 ? double.NaN : v.Max()).ToArray());
    }

    /// <summary>The per-epoch mean over seeds of a metric.</summary>
    public double[] MeanCurve(string metric)
    {
        var series = Runs.Select(r => r.Series(metric)).ToList();
        var length = series.Count == 0 ? 0 : series.Max(s => s.Length);
        return Enumerable.Range(0, length).Select(i => MeanStd.Of(series.Where(s => i < s.Length).Select(s => s[i])).Mean).ToArray();
    }
}
