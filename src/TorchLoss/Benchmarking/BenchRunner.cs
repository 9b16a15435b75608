using TorchLoss.Torch;
using TorchLoss.Training;

namespace TorchLoss.Benchmarking;

/// <summary>Runs `torchloss bench`: every available device and CPU thread setting, each head and batch size.</summary>
public static class BenchRunner
{
    public static BenchReport Run(BenchSettings settings, Action<string>? progress = null, Func<int, PyTorchResult?>? pytorch = null)
    {
        settings.Validate();
        var results = new List<SettingResult>();
        var skipped = new List<SkippedSetting>();
        var baseline = new List<PyTorchResult>();
        var defaults = ThreadSettings.Default;
        foreach (var name in settings.Devices)
        {
            var device = Device.Parse(name);
            if (device.IsCuda && !TorchRuntime.CudaIsAvailable)
            {
                skipped.Add(new SkippedSetting(name, $"CUDA is not available (libtorch {TorchRuntime.Version} sees no CUDA device)"));
                continue;
            }
            var threadSettings = device.IsCuda
                ? [new ThreadSetting(device, defaults.IntraOp, defaults.Blas)]
                : settings.CpuThreads.Select(t => new ThreadSetting(device, t.IntraOp, t.Blas)).ToList();
            foreach (var setting in threadSettings)
            {
                var applied = new ThreadSettings(setting.IntraOp, setting.Blas).Apply();
                var label = (setting with { Blas = applied.Blas }).ToString();
                progress?.Invoke($"{label}: sgemm");
                var sgemm = SgemmBenchmark.GigaflopsPerSecond(device, device.IsCuda ? 4096 : 1024, settings.Repetitions);
                var isDefault = device.IsCuda || (setting.IntraOp == defaults.IntraOp && setting.Blas == defaults.Blas);
                var throughput = new List<ThroughputResult>();
                var diagnostics = new List<DiagnosticsCostResult>();
                foreach (var head in settings.Heads)
                    foreach (var batch in settings.Batches)
                    {
                        progress?.Invoke($"{label}: {head}, batch {batch}{(isDefault ? ", with and without step statistics" : "")}");
                        Rate rate;
                        if (isDefault)
                        {
                            var (with, without) = TrainingThroughput.DiagnosticsCost(device, head, settings.Widths, batch, settings);
                            diagnostics.Add(new DiagnosticsCostResult(head, batch, with, without));
                            rate = with;
                        }
                        else rate = TrainingThroughput.StepsPerSecond(device, head, settings.Widths, batch, settings);
                        throughput.Add(new ThroughputResult(label, head, batch, rate, StepFlops.TrainingStep(settings.Widths, batch), sgemm.Median));
                    }
                results.Add(new SettingResult(label, isDefault, sgemm, throughput, diagnostics));
                // The machine's load drifts, so PyTorch runs right after the setting it is compared with.
                if (isDefault && !device.IsCuda && pytorch is not null)
                    foreach (var batch in settings.Batches)
                    {
                        progress?.Invoke($"PyTorch baseline, batch {batch}");
                        if (pytorch(batch) is { } result) baseline.Add(result);
                    }
            }
        }
        defaults.Apply();
        return new BenchReport(TorchRuntime.Version, TorchRuntime.Blas, Environment.ProcessorCount, results, skipped, baseline);
    }
}
