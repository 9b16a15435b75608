namespace TorchLoss.Reporting;

/// <summary>A metric of a run's epoch rows as a plot shows it: its column in metrics.jsonl, its words, and its axis.
/// Errors and shares are fractions in the files and percent on the axis, as in the tables.</summary>
public sealed record RunMetric(string Name, string Column, string Label, bool Percent, bool Log)
{
    public static readonly RunMetric TestError = new("test-error", "test_error", "test error", Percent: true, Log: true);
    public static readonly RunMetric ValidationError = new("validation-error", "validation_error", "validation error", Percent: true, Log: true);
    public static readonly RunMetric TrainError = new("train-error", "train_error", "train error", Percent: true, Log: true);
    public static readonly RunMetric TrainLoss = new("train-loss", "train_loss", "train loss", Percent: false, Log: true);
    public static readonly RunMetric ValidationLoss = new("validation-loss", "validation_loss", "validation loss", Percent: false, Log: true);
    public static readonly RunMetric TestLoss = new("test-loss", "test_loss", "test loss", Percent: false, Log: true);
    public static readonly RunMetric OutputGradient = new("dldz", "output_grad_norm", "mean ‖dL/dz‖", Percent: false, Log: true);
    public static readonly RunMetric Saturated = new("saturated", "saturated_fraction", "saturated outputs", Percent: true, Log: false);
    public static readonly RunMetric WronglySaturated = new("wrongly-saturated", "wrong_saturated_fraction", "wrongly saturated outputs", Percent: true, Log: false);
    public static readonly RunMetric ParameterNorm = new("weight-norm", "parameter_norm", "weight norm ‖θ‖, all parameters", Percent: false, Log: true);
    public static readonly RunMetric SharedOutputNorm = new("shared-output-norm", "shared_output_norm", "output layer's part shared by every class", Percent: false, Log: true);

    /// <summary>The metrics `torchloss plot --metric` offers, in the order its help lists them.</summary>
    public static readonly IReadOnlyList<RunMetric> Plottable = [TestError, ValidationError, TrainLoss, OutputGradient, Saturated, ParameterNorm, SharedOutputNorm];

    /// <summary>The metric named <paramref name="name"/> among <see cref="Plottable"/>; <see cref="FormatException"/> naming
    /// the choices otherwise.</summary>
    public static RunMetric Parse(string name) =>
        Plottable.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new FormatException($"--metric '{name}': expected {string.Join(", ", Plottable.Select(m => m.Name))}");

    /// <summary>The value as the axis shows it.</summary>
    public double Scale(double value) => Percent ? value * 100 : value;
}
