using System.Diagnostics;
using TorchLoss.Data;
using TorchLoss.Heads;
using TorchLoss.Reporting;
using TorchLoss.Torch;
using TorchLoss.Torch.NN;
using TorchLoss.Torch.Optim;

namespace TorchLoss.Training;

/// <summary>What one epoch produced: its record, or the non-finite loss that stopped it.</summary>
public sealed record EpochOutcome(EpochRecord? Record, long Step, double BadLoss = double.NaN);

/// <summary>Runs single epochs: shuffled minibatches, one dispose scope per step, step statistics flushed every
/// LogEvery steps and at the end, then validation and test scores, each written to the metrics log.</summary>
public sealed class EpochLoop(TrainConfig config, ClassificationData data, Sequential model, OutputHead head, Optimizer optimizer,
    IReadOnlyList<string> parameterNames, MetricsLog log, ITrainingObserver observer)
{
    readonly IReadOnlyList<Tensor> parameters = model.Parameters();
    readonly DType dtype = model.Parameters()[0].DType;

    public EpochOutcome Run(int epoch, long step)
    {
        using var statistics = new StepStatistics(parameterNames, full: config.StepStatistics);
        var intervals = new List<IntervalStatistics>();
        var stepsPerEpoch = data.Train.Batches(config.BatchSize).Count;
        var clock = Stopwatch.StartNew();
        var stepInEpoch = 0;
        using var batches = data.Train.ShuffledBatches(config.BatchSize, config.Seed, epoch);
        for (var i = 0; i < batches.Count; i++)
        {
            using var scope = DisposeScope.Enter();
            var batch = batches[i];
            var logits = model.Forward(batch.X);
            if (statistics.Full) logits.RetainGrad();
            var targets = head.Targets(batch.Y, logits.Size(1), dtype);
            var loss = head.Loss(logits, targets);
            optimizer.ZeroGrad();
            loss.Backward();
            statistics.Record(head, loss, logits, targets, batch.Y, parameters);
            optimizer.Step();
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
        var validation = Evaluation.Score(model, head, data.Validation, dtype);
        var test = config.EvaluateTest ? Evaluation.Score(model, head, data.Test, dtype) : null;
        var record = new EpochRecord(epoch, step, optimizer.LearningRate, epochStatistics.Loss, epochStatistics.Accuracy, validation, test,
            trainingSeconds, stepInEpoch / trainingSeconds, epochStatistics);
        log.Append(EpochRecordToMetrics(record, parameterNames));
        return new EpochOutcome(record, step);
    }

    MetricRecord IntervalRecord(int epoch, long step, IntervalStatistics s) =>
        new(MetricRecord.StepsKind, epoch, step, [.. Diagnostics(s, parameterNames), KeyValuePair.Create("train_loss", s.Loss),
            KeyValuePair.Create("train_accuracy", s.Accuracy)]);

    /// <summary>The columns of metrics.csv, in order.</summary>
    public static MetricRecord EpochRecordToMetrics(EpochRecord r, IReadOnlyList<string> parameterNames)
    {
        var values = new List<KeyValuePair<string, double>>
        {
            new("learning_rate", r.LearningRate),
            new("train_loss", r.TrainLoss),
            new("train_accuracy", r.TrainAccuracy),
            new("train_error", r.TrainError),
            new("validation_loss", r.Validation?.Loss ?? double.NaN),
            new("validation_accuracy", r.Validation?.Accuracy ?? double.NaN),
            new("validation_error", r.Validation?.Error ?? double.NaN),
            new("test_loss", r.Test?.Loss ?? double.NaN),
            new("test_accuracy", r.Test?.Accuracy ?? double.NaN),
            new("test_error", r.Test?.Error ?? double.NaN),
            new("wall_seconds", r.WallSeconds),
            new("steps_per_second", r.StepsPerSecond),
        };
        values.AddRange(Diagnostics(r.Statistics, parameterNames));
        return new MetricRecord(MetricRecord.EpochKind, r.Epoch, r.Step, values);
    }

    static IEnumerable<KeyValuePair<string, double>> Diagnostics(IntervalStatistics s, IReadOnlyList<string> parameterNames)
    {
        yield return new("output_grad_norm", s.OutputGradientNorm);
        yield return new("saturated_fraction", s.SaturatedFraction);
        yield return new("true_class_probability", s.TrueClassProbability);
        foreach (var name in parameterNames)
        {
            yield return new($"grad_norm_mean/{name}", s.GradientNorms[name].Mean);
            yield return new($"grad_norm_max/{name}", s.GradientNorms[name].Max);
        }
    }
}
