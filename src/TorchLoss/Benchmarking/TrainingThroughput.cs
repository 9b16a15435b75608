using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Benchmarking;

/// <summary>
/// Steps per second of `train`'s own step (shuffled batches from resident data, the head's loss, backward, the
/// step statistics, SGD with momentum 0.9) for one head and batch size, after a warm-up, as the median of
/// repetitions. The data are random MNIST-shaped images; the speed does not depend on their values.
/// </summary>
public static class TrainingThroughput
{
    const int Examples = 8192;

    public static Rate StepsPerSecond(Device device, TrainingEngine engine, string head, IReadOnlyList<int> widths, int batch,
        BenchSettings settings) =>
        Measure(device, engine, head, widths, batch, settings, alternateWithoutStatistics: false).With;

    /// <summary>The same step with and without the step statistics, on one model and data, alternating repetitions
    /// so that drift in the machine's speed falls on both alike; for the engines that record them from tensors
    /// (autograd, closed-form), also the time recording took per timed step, with and without.</summary>
    public static DiagnosticsCostResult DiagnosticsCost(Device device, TrainingEngine engine, string head,
        IReadOnlyList<int> widths, int batch, BenchSettings settings)
    {
        var m = Measure(device, engine, head, widths, batch, settings, alternateWithoutStatistics: true);
        return new DiagnosticsCostResult(head, batch, m.With, m.Without!)
        {
            RecordingPerStep = m.RecordingPerStep,
            LightRecordingPerStep = m.LightRecordingPerStep,
        };
    }

    sealed record Measured(Rate With, Rate? Without, TimeSpan? RecordingPerStep, TimeSpan? LightRecordingPerStep);

    static Measured Measure(Device device, TrainingEngine engine, string head, IReadOnlyList<int> widths,
        int batch, BenchSettings settings, bool alternateWithoutStatistics)
    {
        TorchRuntime.ManualSeed(0);
        var random = new Random(0);
        var pixels = new byte[Math.Max(Examples, batch) * widths[0]];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, pixels.Length / widths[0]).Select(i => (byte)(i % widths[^1])).ToArray();
        var side = (int)Math.Sqrt(widths[0]);
        var images = side * side == widths[0]
            ? new LabelledImages(pixels, labels, side, side, widths[^1])
            : new LabelledImages(pixels, labels, 1, widths[0], widths[^1]);
        using var data = ClassificationData.Create(images, images, new DataOptions { ValidationSize = 0 }, device);

        var spec = new ModelSpec(ModelKind.Mlp, widths.Skip(1).SkipLast(1).ToList());
        using var model = spec.Build(widths[0], widths[^1], device);
        using var outputHead = HeadCatalog.Create(head);
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using var full = new StepStatistics(Trainer.ParameterNames(model));
        using var light = new StepStatistics(Trainer.ParameterNames(model), full: false);
        var resolved = TrainingEngines.Resolve(engine, model, outputHead, optimizer).Engine;
        using var withStatistics = TrainingEngines.Create(resolved, model, outputHead, optimizer, full);
        using var withoutStatistics = TrainingEngines.Create(resolved, model, outputHead, optimizer, light);
        var steps = new[] { withStatistics, withoutStatistics };

        var epoch = 0;
        EpochBatches? batches = null;
        var next = 0;
        void OneStep(ITrainingStep step)
        {
            if (batches is null || next == batches.Count)
            {
                batches?.Dispose();
                batches = data.Train.ShuffledBatches(batch, 0, ++epoch);
                next = 0;
            }
            using (torch.NewDisposeScope()) step.Run(batches[next++]);
        }
        // Reading the statistics back, as `train` does once per interval, is part of the timed work.
        double Repetition(int variant, int count) => Timing.Seconds(device, 1, () =>
        {
            for (var s = 0; s < count; s++) OneStep(steps[variant]);
            if (count > 0) (variant == 0 ? full : light).Flush();
        });
        try
        {
            Repetition(0, settings.WarmupSteps);
            if (alternateWithoutStatistics) Repetition(1, settings.WarmupSteps);
            var before = new[] { (full.RecordingTime, full.TimedRecords), (light.RecordingTime, light.TimedRecords) };
            var samples = new[] { new List<double>(), new List<double>() };
            for (var r = 0; r < settings.Repetitions; r++)
                foreach (var variant in alternateWithoutStatistics ? new[] { 0, 1 } : [0])
                    samples[variant].Add(settings.Steps / Repetition(variant, settings.Steps));
            TimeSpan? PerStep(StepStatistics s, (TimeSpan Time, long Records) at) =>
                s.TimedRecords > at.Records ? (s.RecordingTime - at.Time) / (s.TimedRecords - at.Records) : null;
            return new Measured(Rate.Of(samples[0]), alternateWithoutStatistics ? Rate.Of(samples[1]) : null,
                PerStep(full, before[0]), alternateWithoutStatistics ? PerStep(light, before[1]) : null);
        }
        finally
        {
            batches?.Dispose();
        }
    }
}
