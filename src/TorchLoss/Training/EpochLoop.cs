using System.Diagnostics;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>What one epoch produced: its record, or the non-finite loss that stopped it.</summary>
public sealed record EpochOutcome(EpochRecord? Record, long Step, double BadLoss = double.NaN);

/// <summary>Runs single epochs: shuffled minibatches, one dispose scope per step, step statistics flushed every
/// LogEvery steps and at the end, then validation and test scores, each written to the metrics log.</summary>
internal sealed class EpochLoop(TrainConfig config, TrainingEngine engine, ThreadSettings threads, ClassificationData data, nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer,
    IReadOnlyList<string> parameterNames, MetricsLog log, ITrainingObserver observer)
{
    public EpochOutcome Run(int epoch, long step)
    {
        using var statistics = new StepStatistics(parameterNames, full: config.StepStatistics);
        using var trainingStep = TrainingEngines.Create(engine, model, head, optimizer, statistics, threads.IntraOp);
        var intervals = new List<IntervalStatistics>();
        var clock = Stopwatch.StartNew();
        var stepInEpoch = 0;
        using var batches = data.Train.ShuffledBatches(config.BatchSize, config.Seed, epoch);
        var stepsPerEpoch = batches.Count;
        for (var i = 0; i < batches.Count; i++)
        {
            using (torch.NewDisposeScope()) trainingStep.Run(batches[i]);
            step++;
            FaultInjection.Reached("train:step");
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
        var record = new EpochRecord(epoch, step, optimizer.LearningRate(), epochStatistics.Loss, epochStatistics.Accuracy, validation, test,
            trainingSeconds, stepInEpoch / trainingSeconds, epochStatistics, WeightNorms.Measure(model));
        log.Append(EpochMetrics.Epoch(record, parameterNames));
        return new EpochOutcome(record, step);
    }

    /// <summary>
    /// Records epoch 0, the initial model before any step: validation and test loss and error, and the diagnostics
    /// (‖dL/dz‖, saturation, true-class probability, gradient and weight norms) of the initial model measured on the validation
    /// split (the training split when there is none) by autograd, without an update. Train loss and error are NaN.
    /// </summary>
    public EpochRecord RecordInitial()
    {
        var split = data.Validation.Count > 0 ? data.Validation : data.Train;
        using var statistics = new StepStatistics(parameterNames, full: true);
        var parameters = model.parameters().ToList<Tensor>();
        using (var batches = split.Batches(Math.Max(config.BatchSize, 1000)))
        {
            for (var i = 0; i < batches.Count; i++)
            {
                using var scope = torch.NewDisposeScope();
                var batch = batches[i];
                var logits = model.forward(batch.X);
                logits.retain_grad();
                var loss = head.TrainingLoss(logits, batch.Y);
                foreach (var p in parameters) p.grad?.zero_();
                loss.backward();
                statistics.Record(head, loss, logits, batch.Y, parameters);
            }
        }
        foreach (var p in parameters) p.grad?.zero_();
        var initial = statistics.Flush();
        var validation = TrainingEngines.Score(engine, model, head, data.Validation, threads.IntraOp);
        var test = config.EvaluateTest ? TrainingEngines.Score(engine, model, head, data.Test, threads.IntraOp) : null;
        var record = new EpochRecord(0, 0, optimizer.LearningRate(), double.NaN, double.NaN, validation, test, 0, 0, initial, WeightNorms.Measure(model));
        log.Append(EpochMetrics.Epoch(record, parameterNames));
        return record;
    }

    MetricRecord IntervalRecord(int epoch, long step, IntervalStatistics s) => EpochMetrics.Interval(epoch, step, s, parameterNames);
}
