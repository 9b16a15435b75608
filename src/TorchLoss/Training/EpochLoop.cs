using System.Diagnostics;
using TorchLoss.Data;
using TorchLoss.Heads;
using TorchLoss.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>What one epoch produced: its record, or the non-finite loss that stopped it.</summary>
public sealed record EpochOutcome(EpochRecord? Record, long Step, double BadLoss = double.NaN);

/// <summary>Runs single epochs: shuffled minibatches, one dispose scope per step, step statistics flushed every
/// LogEvery steps and at the end, then validation and test scores, each written to the metrics log.</summary>
internal sealed class EpochLoop(TrainConfig config, TrainingEngine engine, ClassificationData data, Sequential model, OutputHead head, Optimizer optimizer,
    IReadOnlyList<string> parameterNames, MetricsLog log, ITrainingObserver observer)
{
    public EpochOutcome Run(int epoch, long step)
    {
        using var statistics = new StepStatistics(parameterNames, full: config.StepStatistics);
        using var trainingStep = TrainingEngines.Create(engine, model, head, optimizer, statistics);
        var intervals = new List<IntervalStatistics>();
        var clock = Stopwatch.StartNew();
        var stepInEpoch = 0;
        using var batches = data.Train.ShuffledBatches(config.BatchSize, config.Seed, epoch);
        var stepsPerEpoch = batches.Count;
        for (var i = 0; i < batches.Count; i++)
        {
            using (torch.NewDisposeScope()) trainingStep.Run(batches[i]);
            step++;
            stepInEpoch++;
            observer.StepCompleted(epoch, stepInEpoch, stepsPerEpoch);
            if (stepInEpoch % config.LogEvery == 0 || stepInEpoch == stepsPerEpoch)
            {
                var interval = statistics.Flush();
                if (!double.IsFinite(interval.Loss)) return new EpochOutcome(null, step, interval.Loss);
                intervals.Add(interval);
                log.Append(IntervalRecord(epoch, step, interval));
                observer.IntervalCompleted(epoch, step, interval);
            }
        }
        var trainingSeconds = clock.Elapsed.TotalSeconds;
        var epochStatistics = IntervalStatistics.Merge(intervals);
        var validation = trainingStep.Score(data.Validation);
        var test = config.EvaluateTest ? trainingStep.Score(data.Test) : null;
        var record = new EpochRecord(epoch, step, optimizer.LearningRate, epochStatistics.Loss, epochStatistics.Accuracy, validation, test,
            trainingSeconds, stepInEpoch / trainingSeconds, epochStatistics);
        log.Append(EpochMetrics.Epoch(record, parameterNames));
        return new EpochOutcome(record, step);
    }

    MetricRecord IntervalRecord(int epoch, long step, IntervalStatistics s) => EpochMetrics.Interval(epoch, step, s, parameterNames);
}
