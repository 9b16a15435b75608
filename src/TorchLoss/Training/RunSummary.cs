namespace TorchLoss.Training;

public enum RunStatus { Completed, StoppedEarly, Diverged }

public sealed record RunSummary
{
    public required RunStatus Status { get; init; }
    public string? Message { get; init; }
    public required int Epochs { get; init; }
    public required long Steps { get; init; }
    public required double FinalTrainLoss { get; init; }
    public required double FinalTrainError { get; init; }
    public double? FinalValidationError { get; init; }
    public double? FinalTestError { get; init; }
    public int? BestEpoch { get; init; }
    public double? BestValidationError { get; init; }
    public double? TestErrorAtBestEpoch { get; init; }
    public required double TrainingSeconds { get; init; }
    public required double StepsPerSecond { get; init; }
    /// <summary>ML.NET's evaluation of the final model's test predictions; null when the test split was not scored (and in
    /// summaries written before it existed).</summary>
    public MlNetMetrics? MlNet { get; init; }
}
