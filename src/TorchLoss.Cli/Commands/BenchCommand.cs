using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TorchLoss.Benchmarking;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss bench`: training throughput per device and thread setting, against the sgemm roofline,
/// optionally side by side with the PyTorch baseline.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var defaults = new BenchSettings();
        var devices = new Option<string>("--device") { HelpName = "DEVICE,...", Description = "Comma-separated devices; cuda is skipped, with the reason, where absent.", DefaultValueFactory = _ => "cpu,cuda" };
        // Plural like compare's and gradcheck's lists; the singular spellings of earlier versions still work.
        var batches = new Option<string>("--batches", "--batch") { Description = "Comma-separated batch sizes.", DefaultValueFactory = _ => "32,128,1024" };
        var heads = new Option<string>("--heads", "--head") { Description = "Comma-separated heads.", DefaultValueFactory = _ => SoftmaxCrossEntropyHead.HeadName };
        var engines = new Option<string>("--engine") { HelpName = "ENGINE,...", Description = "Comma-separated engines to measure on the CPU: fused, autograd.", DefaultValueFactory = _ => "fused,autograd" };
        var threads = new Option<string?>("--threads")
        {
            HelpName = "INTRAxBLAS,...",
            Description = "CPU settings to try as INTRAxBLAS pairs, e.g. 1x2,1x1,2x1,2x2 (default: those four on 2 cores); " +
                          $"INTRA at most {ThreadLimits.MaxThreads}, BLAS at most {ThreadLimits.MaxBlasThreads} ({ThreadLimits.BlasRule}).",
        };
        var steps = NumericOptions.Int("--steps", "Timed steps per repetition.", defaults.Steps, min: 1);
        var repetitions = NumericOptions.Int("--repetitions", "Repetitions (the median is reported).", defaults.Repetitions, min: 1);
        var warmup = NumericOptions.Int("--warmup", "Untimed steps first.", defaults.WarmupSteps, min: 0);
        var pytorch = new Option<bool>("--pytorch") { Description = $"Also run benchmarks/pytorch/train_mlp.py ({SoftmaxCrossEntropyHead.HeadName}) and compare torchloss's default setting with PyTorch's best, in alternating rounds." };
        var underLoad = new Option<bool>("--under-load") { Description = "Also measure train's default setting while one other CPU-bound process runs, against idle, in alternating rounds." };
        var python = PathOptions.Path("--python", "Python with PyTorch for --pytorch (checked before anything is measured).", "/usr/bin/python3");
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("bench",
            "Benchmark training throughput (steps/s, examples/s) of the 784-256-256-10 MLP per device and thread setting, with the " +
            "device's measured sgemm GFLOP/s and the fraction of that roofline each configuration reaches.")
        {
            devices, batches, heads, engines, threads, steps, repetitions, warmup, pytorch, python, underLoad, json,
        };
        command.SetAction(parse =>
        {
            var settings = defaults with
            {
                Devices = OptionParsing.Strings("--device", parse.GetValue(devices)!),
                Batches = OptionParsing.Integers("--batches", parse.GetValue(batches)!).ToList(),
                Heads = OptionParsing.Strings("--heads", parse.GetValue(heads)!),
                Engines = OptionParsing.Strings("--engine", parse.GetValue(engines)!).Select(BenchEngine).ToList(),
                CpuThreads = parse.GetValue(threads) is { } t ? OptionParsing.Strings("--threads", t).Select(Pair).ToList() : defaults.CpuThreads,
                Steps = parse.GetValue(steps),
                Repetitions = parse.GetValue(repetitions),
                WarmupSteps = parse.GetValue(warmup),
            };
            settings.Validate();
            Func<int, PyTorchResult?>? baseline = null;
            if (parse.GetValue(pytorch))
            {
                var checkout = DataDirectory.FindCheckout(AppContext.BaseDirectory)
                               ?? throw new UserException("--pytorch needs the checkout's benchmarks/pytorch/train_mlp.py; run from a checkout");
                var interpreter = PythonInterpreter.RequireTorch("--python", parse.GetValue(python)!);
                // One repetition per call: the runner alternates PyTorch runs with its own repetitions. PyTorch always tries
                // every intra-op count from 1 to the cores (whatever --threads says) and is compared at its best.
                baseline = batch => PyTorchBaseline.Run(interpreter, PyTorchBaseline.ScriptPath(checkout), batch, settings.Steps, 1,
                    PyTorchBaseline.ThreadCounts(Environment.ProcessorCount));
            }
            var quiet = parse.GetValue(json);
            var report = BenchRunner.Run(settings, quiet ? null : line => Console.Error.WriteLine($"bench: {line}"), baseline,
                parse.GetValue(underLoad) ? CpuLoad.Start : null);
            if (quiet) Console.WriteLine(JsonSerializer.Serialize(report, JsonFiles.Options));
            else Print(report, Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    static void Print(BenchReport report, TextWriter output)
    {
        output.WriteLine($"{report.Processor}, {report.Cores} cores");
        output.WriteLine(report.Libtorch);
        output.WriteLine($"BLAS: {report.Blas}{(report.BlasReproducibility is { } mode ? $", MKL_CBWR {mode}" : "")}");
        foreach (var s in report.Skipped) output.WriteLine($"skipped {s.Setting}: {s.Reason}");
        output.WriteLine();
        output.WriteLine($"{"setting",-38} {"sgemm GFLOP/s",14} {"head",-12} {"batch",6} {"steps/s (min-max)",24} {"examples/s",11} {"roofline",9}");
        foreach (var setting in report.Settings)
            foreach (var r in setting.Throughput)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(r.IsDefault ? "* " : "  ") + setting.Setting,-38} {setting.Sgemm.Median,14:F0} {r.Head,-12} {r.Batch,6} " +
                    $"{$"{r.StepsPerSecond.Median:F0} ({r.StepsPerSecond.Min:F0}-{r.StepsPerSecond.Max:F0})",24} {r.ExamplesPerSecond,11:F0} {r.RooflineFraction,9:P0}"));
        output.WriteLine("* the default setting of train and compare at that batch");
        foreach (var group in report.Settings.Where(s => !s.Setting.StartsWith("cuda", StringComparison.Ordinal))
                     .SelectMany(s => s.Throughput.Select(t => (s, t))).GroupBy(x => (x.t.Head, x.t.Batch)))
        {
            var best = group.MaxBy(x => x.t.StepsPerSecond.Median);
            var chosen = group.FirstOrDefault(x => x.t.IsDefault);
            if (chosen.t is null) continue;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key.Head}, batch {group.Key.Batch}: best CPU setting {best.s.Setting} ({best.t.StepsPerSecond.Median:F0} steps/s); " +
                $"default {chosen.t.StepsPerSecond.Median / best.t.StepsPerSecond.Median:P0} of it"));
        }
        foreach (var (setting, d) in report.Settings.SelectMany(s => s.DiagnosticsCost.Select(d => (s.Setting, d))))
        {
            var timed = d.TimedFractionOfStepTime is { } fraction
                ? string.Create(CultureInfo.InvariantCulture,
                    $"; timed directly, recording them took {d.RecordingPerStep!.Value.TotalMicroseconds:F0} us a step against " +
                    $"{d.LightRecordingPerStep!.Value.TotalMicroseconds:F0} us for loss and accuracy alone, {fraction:P1} of the step")
                : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"step statistics, {setting}, {d.Head}, batch {d.Batch}: {d.FractionOfStepTime:P1} of step time, median of " +
                $"{d.PerRound.Samples.Count} alternating pairs of repetitions (pairs {d.PerRound.Min:P1} to {d.PerRound.Max:P1}; " +
                $"{d.WithStatistics.Median:F0} steps/s with, {d.WithoutStatistics.Median:F0} without){timed}"));
        }
        foreach (var p in report.PyTorch)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"against PyTorch {p.Version}, batch {p.Batch}, {p.Ratio.Samples.Count} alternating rounds: torchloss {p.Setting} " +
                $"{p.TorchLoss.Median:F0} steps/s, PyTorch best ({string.Join("/", p.BestThreads)} intra-op) {p.PyTorch.Median:F0}: " +
                $"{p.Ratio.Median:F2}x (rounds {p.Ratio.Min:F2}-{p.Ratio.Max:F2}x)"));
        foreach (var l in report.UnderLoad ?? [])
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"with one other CPU-bound process, batch {l.Batch}, {l.Ratio.Samples.Count} alternating rounds: {l.Loaded.Median:F0} steps/s " +
                $"against {l.Idle.Median:F0} idle: {l.Ratio.Median:P0} of idle (rounds {l.Ratio.Min:P0}-{l.Ratio.Max:P0})"));
    }

    static TrainingEngine BenchEngine(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fused" => TrainingEngine.Fused,
        "autograd" => TrainingEngine.Autograd,
        _ => throw new UserException($"--engine: '{text}' is not an engine bench measures: fused or autograd"),
    };

    static (int, int) Pair(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 2 || !Count(parts[0], out var intra) || !Count(parts[1], out var blas))
            throw new UserException($"--threads: '{text}' is not INTRAxBLAS, e.g. 1x2");
        if (intra < 1 || blas < 1) throw new UserException($"--threads: '{text}': thread counts must be at least 1");
        if (intra > ThreadLimits.MaxThreads || blas > ThreadLimits.MaxBlasThreads)
            throw new UserException($"--threads: '{text}': INTRA must be at most {ThreadLimits.MaxThreads} and BLAS at most " +
                                    $"{ThreadLimits.MaxBlasThreads} ({ThreadLimits.BlasRule})");
        return (intra, blas);

        static bool Count(string s, out int value) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
