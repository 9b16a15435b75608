using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Benchmarking;

/// <summary>One way to run: a device, the training engine and, on the CPU, the intra-op threads and MKL's BLAS threads.</summary>
public sealed record ThreadSetting(Device Device, TrainingEngine Engine, int IntraOp, int? Blas)
{
    public override string ToString() => Device.IsCuda()
        ? $"{Device}, {Engine.Name()}"
        : $"cpu, {Engine.Name()}, {IntraOp} intra-op, {(Blas is { } b ? $"{b} BLAS" : "default BLAS")}";
}

/// <summary>What `torchloss bench` measures.</summary>
public sealed record BenchSettings
{
    public IReadOnlyList<string> Devices { get; init; } = ["cpu", "cuda"];
    public IReadOnlyList<int> Batches { get; init; } = [32, 128, 1024];
    public IReadOnlyList<string> Heads { get; init; } = [SoftmaxCrossEntropyHead.HeadName];
    /// <summary>Training engines measured on the CPU (CUDA runs autograd).</summary>
    public IReadOnlyList<TrainingEngine> Engines { get; init; } = [TrainingEngine.Fused, TrainingEngine.Autograd];
    public IReadOnlyList<int> Widths { get; init; } = [784, 256, 256, 10];
    /// <summary>(intra-op, BLAS) pairs tried on the CPU.</summary>
    public IReadOnlyList<(int IntraOp, int Blas)> CpuThreads { get; init; } = DefaultCpuThreads();
    public int WarmupSteps { get; init; } = 30;
    /// <summary>Timed steps per repetition; each repetition is timed on its own.</summary>
    public int Steps { get; init; } = 100;
    public int Repetitions { get; init; } = 5;

    public static IReadOnlyList<(int, int)> DefaultCpuThreads()
    {
        var cores = Environment.ProcessorCount;
        return cores == 1 ? [(1, 1)] : [(1, cores), (1, 1), (cores, 1), (cores, cores)];
    }

    public void Validate()
    {
        if (Batches.Count == 0 || Batches.Any(b => b < 1)) throw new FormatException("batch sizes must be at least 1");
        if (Heads.Count == 0) throw new FormatException("name at least one head");
        if (Engines.Count == 0 || Engines.Contains(TrainingEngine.Auto)) throw new FormatException("name the engines to measure: fused, autograd");
        foreach (var head in Heads) using (TorchLoss.Heads.HeadCatalog.Create(head)) { }
        if (Steps < 1 || Repetitions < 1 || WarmupSteps < 0) throw new FormatException("steps and repetitions must be at least 1");
        if (CpuThreads.Any(t => t.IntraOp < 1 || t.Blas < 1)) throw new FormatException("thread counts must be at least 1");
        foreach (var d in Devices) Runtime.Devices.Parse(d);
    }
}
