using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Benchmarking;

/// <summary>Runs `torchloss bench`: every available device, engine and CPU thread setting, each head and batch size.</summary>
public static class BenchRunner
{
    /// <summary>The engine `train` picks for the benchmark's model (SGD, a sigmoid MLP) on the CPU.</summary>
    public const TrainingEngine DefaultCpuEngine = TrainingEngine.Fused;

    /// <param name="load">Starts one other CPU-bound process (ended by disposing it): with it, train's default setting is
    /// also measured under load, against idle in alternating rounds. Null: not measured.</param>
    public static BenchReport Run(BenchSettings settings, Action<string>? progress = null, Func<int, PyTorchResult?>? pytorch = null,
        Func<IDisposable>? load = null)
    {
        settings.Validate();
        var before = new ThreadSettings(TorchRuntime.Threads, TorchRuntime.BlasThreads);
        try { return Measure(settings, progress, pytorch, load); }
        finally { before.Apply(TrainingEngine.Autograd); }
    }

    static BenchReport Measure(BenchSettings settings, Action<string>? progress, Func<int, PyTorchResult?>? pytorch, Func<IDisposable>? load)
    {
        var underLoad = new List<LoadComparison>();
        var results = new List<SettingResult>();
        var skipped = new List<SkippedSetting>();
        var baseline = new List<PyTorchComparison>();
        foreach (var name in settings.Devices)
        {
            var device = Devices.Parse(name);
            if (device.IsCuda() && !TorchRuntime.CudaIsAvailable)
            {
                skipped.Add(new SkippedSetting(name, $"CUDA is not available ({TorchRuntime.Version} sees no CUDA device)"));
                continue;
            }
            foreach (var setting in Settings(device, settings, skipped))
            {
                var applied = new ThreadSettings(setting.IntraOp, setting.Blas).Apply(setting.Engine);
                var label = (setting with { Blas = applied.Blas }).ToString();
                progress?.Invoke($"{label}: sgemm");
                var sgemm = Roofline(device, setting, applied, settings);
                var throughput = new List<ThroughputResult>();
                var diagnostics = new List<DiagnosticsCostResult>();
                foreach (var head in settings.Heads)
                    foreach (var batch in settings.Batches)
                    {
                        var isEngineDefault = IsEngineDefault(device, setting, settings.Widths, batch);
                        var isDefault = isEngineDefault && (device.IsCuda() || setting.Engine == DefaultCpuEngine);
                        progress?.Invoke($"{label}: {head}, batch {batch}{(isEngineDefault ? ", with and without step statistics" : "")}");
                        Rate rate;
                        if (isEngineDefault)
                        {
                            var cost = TrainingThroughput.DiagnosticsCost(device, setting.Engine, head, settings.Widths, batch, settings);
                            diagnostics.Add(cost);
                            rate = cost.WithStatistics;
                        }
                        else rate = TrainingThroughput.StepsPerSecond(device, setting.Engine, head, settings.Widths, batch, settings);
                        throughput.Add(new ThroughputResult(label, head, batch, rate, StepFlops.TrainingStep(settings.Widths, batch), sgemm.Median,
                            isDefault, isEngineDefault));
                    }
                results.Add(new SettingResult(label, sgemm, throughput, diagnostics));
                if (device.IsCuda()) continue;
                var defaultBatches = settings.Batches.Where(b => IsEngineDefault(device, setting, settings.Widths, b)).ToList();
                if (pytorch is not null && settings.Heads.Contains(SoftmaxCrossEntropyHead.HeadName))
                    foreach (var batch in defaultBatches)
                        if (AgainstPyTorch(device, setting.Engine, batch, settings, pytorch, progress) is { } comparison)
                            baseline.Add(comparison with { Setting = label });
                if (setting.Engine == DefaultCpuEngine && load is not null)
                    foreach (var batch in defaultBatches)
                        underLoad.Add(UnderLoad(device, setting.Engine, batch, settings, load, progress));
            }
        }
        if (pytorch is not null && baseline.Count == 0)
            skipped.Add(new SkippedSetting("PyTorch baseline", settings.Heads.Contains(SoftmaxCrossEntropyHead.HeadName)
                ? "it is compared with each engine's default threads only, and no such setting was measured"
                : $"it runs {SoftmaxCrossEntropyHead.HeadName}, which is not among the heads measured"));
        return new BenchReport(TorchRuntime.Version, TorchRuntime.BlasName, Environment.ProcessorCount, results, skipped, baseline,
            load is null ? null : underLoad)
        {
            Processor = TorchRuntime.Processor,
            BlasReproducibility = TorchRuntime.BlasReproducibility,
        };
    }

    // Whether the setting is what train picks for its engine at this batch, on this model (on CUDA there is one setting).
    static bool IsEngineDefault(Device device, ThreadSetting setting, IReadOnlyList<int> widths, int batch)
    {
        if (device.IsCuda()) return true;
        var defaults = ThreadSettings.For(setting.Engine, ThreadSettings.ForwardMultiplyAdds(batch, Models.ModelSpec.ParameterCount(widths)));
        return setting.IntraOp == defaults.IntraOp && setting.Blas == defaults.Blas;
    }

    // The sgemm speed the setting's matrix products could reach: the fused step runs a single-threaded BLAS on each
    // intra-op thread, so its ceiling is a BLAS with intra-op x BLAS threads.
    static Rate Roofline(Device device, ThreadSetting setting, ThreadSettings applied, BenchSettings settings)
    {
        if (device.IsCuda()) return SgemmBenchmark.GigaflopsPerSecond(device, 4096, settings.Repetitions);
        if (setting.Engine != TrainingEngine.Fused || applied.Blas is not { } blas)
            return SgemmBenchmark.GigaflopsPerSecond(device, 1024, settings.Repetitions);
        new ThreadSettings(setting.IntraOp * blas, setting.IntraOp * blas).Apply(TrainingEngine.Autograd);
        try
        {
            return SgemmBenchmark.GigaflopsPerSecond(device, 1024, settings.Repetitions);
        }
        finally
        {
            applied.Apply(setting.Engine);
        }
    }

    static List<ThreadSetting> Settings(Device device, BenchSettings settings, List<SkippedSetting> skipped)
    {
        if (device.IsCuda())
        {
            if (settings.Engines.Contains(TrainingEngine.Fused)) skipped.Add(new SkippedSetting($"{device}, fused", "the fused step runs on the CPU only"));
            // The CPU's threads hardly matter beside the GPU's kernels: one of each.
            return [new ThreadSetting(device, TrainingEngine.Autograd, 1, 1)];
        }
        return settings.Engines.SelectMany(e => settings.CpuThreads.Select(t => new ThreadSetting(device, e, t.IntraOp, t.Blas))).ToList();
    }

    // One idle repetition, then one with the other process running, per round, softmax + cross-entropy as train's default.
    static LoadComparison UnderLoad(Device device, TrainingEngine engine, int batch, BenchSettings settings, Func<IDisposable> load,
        Action<string>? progress)
    {
        var idle = new List<double>();
        var loaded = new List<double>();
        var single = settings with { Repetitions = 1 };
        for (var round = 1; round <= settings.Repetitions; round++)
        {
            progress?.Invoke($"under load, batch {batch}: round {round} of {settings.Repetitions}");
            idle.Add(TrainingThroughput.StepsPerSecond(device, engine, SoftmaxCrossEntropyHead.HeadName, settings.Widths, batch, single).Median);
            using (load())
                loaded.Add(TrainingThroughput.StepsPerSecond(device, engine, SoftmaxCrossEntropyHead.HeadName, settings.Widths, batch, single).Median);
        }
        return new LoadComparison(batch, Rate.Of(idle), Rate.Of(loaded), Rate.Of(loaded.Zip(idle, (l, i) => l / i).ToList()));
    }

    // One torchloss repetition, then one PyTorch run, per round; the machine's speed drifts by tens of percent over
    // minutes, so only measurements taken side by side are compared.
    static PyTorchComparison? AgainstPyTorch(Device device, TrainingEngine engine, int batch, BenchSettings settings,
        Func<int, PyTorchResult?> pytorch, Action<string>? progress)
    {
        var ours = new List<double>();
        var theirs = new List<PyTorchResult>();
        var single = settings with { Repetitions = 1 };
        for (var round = 1; round <= settings.Repetitions; round++)
        {
            progress?.Invoke($"against PyTorch, {engine.Name()}, batch {batch}: round {round} of {settings.Repetitions}");
            ours.Add(TrainingThroughput.StepsPerSecond(device, engine, SoftmaxCrossEntropyHead.HeadName, settings.Widths, batch, single).Median);
            if (pytorch(batch) is not { } result) return null;
            theirs.Add(result);
        }
        var ratios = ours.Zip(theirs, (o, t) => o / t.StepsPerSecond).ToList();
        return new PyTorchComparison(batch, theirs[0].Version, theirs.Select(t => t.BestThreads).Distinct().Order().ToList(),
            Rate.Of(theirs.Select(t => t.StepsPerSecond).ToList()), Rate.Of(ours), Rate.Of(ratios));
    }
}
