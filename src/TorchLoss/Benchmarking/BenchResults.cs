namespace TorchLoss.Benchmarking;

/// <summary>Training throughput of one head and batch size under one setting, against that setting's sgemm roofline.</summary>
/// <param name="IsDefault">the setting is train's default for this batch (the fused engine's, on the CPU).</param>
/// <param name="IsEngineDefault">the setting is its engine's default threads for this batch: these rows also measure the
/// diagnostics' cost and, with --pytorch, run against PyTorch.</param>
public sealed record ThroughputResult(string Setting, string Head, int Batch, Rate StepsPerSecond, double FlopsPerStep, double SgemmGflops,
    bool IsDefault = false, bool IsEngineDefault = false)
{
    public double ExamplesPerSecond => StepsPerSecond.Median * Batch;

    /// <summary>Achieved matrix-product FLOP/s as a fraction of the measured sgemm speed.</summary>
    public double RooflineFraction => StepsPerSecond.Median * FlopsPerStep / (SgemmGflops * 1e9);
}

/// <summary>One device, engine and thread setting: its sgemm roofline, its throughput per head and batch, and the
/// diagnostics' cost at the batches where it is its engine's default.</summary>
public sealed record SettingResult(string Setting, Rate Sgemm, IReadOnlyList<ThroughputResult> Throughput,
    IReadOnlyList<DiagnosticsCostResult> DiagnosticsCost)
{
    /// <summary>train's default setting for at least one batch measured.</summary>
    public bool IsDefault => Throughput.Any(t => t.IsDefault);

    /// <summary>Its engine's default threads for at least one batch measured.</summary>
    public bool IsEngineDefault => Throughput.Any(t => t.IsEngineDefault);
}

/// <summary>Steps/s with and without `train`'s step statistics, measured in alternating repetitions.</summary>
public sealed record DiagnosticsCostResult(string Head, int Batch, Rate WithStatistics, Rate WithoutStatistics)
{
    /// <summary>The share of a step's time the statistics take in each alternating pair of repetitions,
    /// 1 - (rate with) / (rate without): paired, as the comparison with PyTorch is, so that drift in the machine's speed
    /// between pairs cancels.</summary>
    public Rate PerRound => Rate.Of(WithStatistics.Samples.Zip(WithoutStatistics.Samples, (with, without) => 1 - with / without).ToList());

    /// <summary>The median of <see cref="PerRound"/>.</summary>
    public double FractionOfStepTime => PerRound.Median;

    /// <summary>Time spent recording the full statistics per step, timed around the recording itself; null for the
    /// fused engine, which computes them inside its native step.</summary>
    public TimeSpan? RecordingPerStep { get; init; }

    /// <summary>The same for loss and accuracy alone, as the step without the statistics records them.</summary>
    public TimeSpan? LightRecordingPerStep { get; init; }

    /// <summary>What the statistics beyond loss and accuracy add to a step, timed directly, as a share of the step with
    /// them at its median rate; null where <see cref="RecordingPerStep"/> is. It leaves out their indirect costs (dL/dz
    /// retained, caches), which <see cref="FractionOfStepTime"/> includes, noisily.</summary>
    public double? TimedFractionOfStepTime => RecordingPerStep is { } full && LightRecordingPerStep is { } light
        ? (full - light).TotalSeconds * WithStatistics.Median
        : null;
}

/// <summary>A device or setting that was not measured, and why.</summary>
public sealed record SkippedSetting(string Setting, string Reason);

/// <summary>The PyTorch script's best steps/s over its thread settings for a batch size, from one run.</summary>
public sealed record PyTorchResult(int Batch, string Version, int BestThreads, double StepsPerSecond);

/// <summary>torchloss's default setting against PyTorch, measured in alternating rounds (one of each per round) so that
/// drift in the machine's speed falls on both alike. Ratio: the per-round ratios, torchloss over PyTorch.</summary>
public sealed record PyTorchComparison(int Batch, string Version, IReadOnlyList<int> BestThreads, Rate PyTorch, Rate TorchLoss, Rate Ratio,
    string Setting = "");

/// <summary>train's default setting with and without one other CPU-bound process, in alternating rounds (one idle and one
/// loaded repetition per round). Ratio: loaded over idle, per round.</summary>
public sealed record LoadComparison(int Batch, Rate Idle, Rate Loaded, Rate Ratio);

public sealed record BenchReport(
    string Libtorch, string Blas, int Cores, IReadOnlyList<SettingResult> Settings, IReadOnlyList<SkippedSetting> Skipped,
    IReadOnlyList<PyTorchComparison> PyTorch, IReadOnlyList<LoadComparison>? UnderLoad = null)
{
    /// <summary>The CPU the numbers were measured on (<see cref="Runtime.TorchRuntime.Processor"/>).</summary>
    public string? Processor { get; init; }

    /// <summary>oneMKL's reproducibility mode during the measurement (<see cref="Runtime.TorchRuntime.BlasReproducibility"/>).</summary>
    public string? BlasReproducibility { get; init; }
}
