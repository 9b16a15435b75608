namespace TorchLoss.Benchmarking;

/// <summary>Training throughput of one head and batch size under one setting, against that setting's sgemm roofline.</summary>
public sealed record ThroughputResult(string Setting, string Head, int Batch, Rate StepsPerSecond, double FlopsPerStep, double SgemmGflops)
{
    public double ExamplesPerSecond => StepsPerSecond.Median * Batch;

    /// <summary>Achieved matrix-product FLOP/s as a fraction of the measured sgemm speed.</summary>
    public double RooflineFraction => StepsPerSecond.Median * FlopsPerStep / (SgemmGflops * 1e9);
}

public sealed record SettingResult(string Setting, bool IsDefault, Rate Sgemm, IReadOnlyList<ThroughputResult> Throughput);

/// <summary>A device or setting that was not measured, and why.</summary>
public sealed record SkippedSetting(string Setting, string Reason);

/// <summary>The PyTorch script's best steps/s for a batch size, when it was run side by side.</summary>
public sealed record PyTorchResult(int Batch, string Version, int BestThreads, double StepsPerSecond);

public sealed record BenchReport(
    string Libtorch, string Blas, int Cores, IReadOnlyList<SettingResult> Settings, IReadOnlyList<SkippedSetting> Skipped,
    IReadOnlyList<PyTorchResult> PyTorch);
