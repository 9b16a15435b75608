using TorchLoss.Engines;
using TorchLoss.Reporting;

namespace TorchLoss.Training;

/// <summary>The named columns of the metrics log: epoch records and step-interval records.</summary>
public static class EpochMetrics
{
    /// <summary>The columns of metrics.csv, in order.</summary>
    public static MetricRecord Epoch(EpochRecord r, IReadOnlyList<string> parameterNames)
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
            new("parameter_norm", (r.Norms ?? WeightNorms.None).Parameters),
            new("shared_output_norm", (r.Norms ?? WeightNorms.None).SharedOutput),
        };
        values.AddRange(Diagnostics(r.Statistics, parameterNames));
        return new MetricRecord(MetricRecord.EpochKind, r.Epoch, r.Step, values);
    }

    /// <summary>The columns of steps.csv, in order.</summary>
    public static MetricRecord Interval(int epoch, long step, IntervalStatistics s, IReadOnlyList<string> parameterNames) =>
        new(MetricRecord.StepsKind, epoch, step,
            [.. Diagnostics(s, parameterNames), KeyValuePair.Create("train_loss", s.Loss), KeyValuePair.Create("train_accuracy", s.Accuracy)]);

    static IEnumerable<KeyValuePair<string, double>> Diagnostics(IntervalStatistics s, IReadOnlyList<string> parameterNames)
    {
        yield return new("output_grad_norm", s.OutputGradientNorm);
        yield return new("saturated_fraction", s.SaturatedFraction);
        yield return new("wrong_saturated_fraction", s.WrongSaturatedFraction);
        yield return new("true_class_probability", s.TrueClassProbability);
        foreach (var name in parameterNames)
        {
            yield return new($"grad_norm_mean/{name}", s.GradientNorms[name].Mean);
            yield return new($"grad_norm_max/{name}", s.GradientNorms[name].Max);
        }
    }
}
