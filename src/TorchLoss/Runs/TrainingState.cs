using TorchLoss.Training;
namespace TorchLoss.Runs;

/// <summary>Where a run stood after its last completed epoch: what --resume and the summary need besides the
/// parameters.</summary>
public sealed record TrainingState
{
    public int Epoch { get; init; }
    /// <summary>The checkpoint's parameter and optimizer files, relative to the run folder.</summary>
    public string? ModelCheckpoint { get; init; }
    public string? OptimizerCheckpoint { get; init; }
    public long Step { get; init; }
    public double LearningRate { get; init; }
    public long OptimizerSteps { get; init; }
    public int EpochsWithoutImprovement { get; init; }
    public double TrainingSeconds { get; init; }
    /// <summary>When the run started, kept across --resume (TensorBoard's session start time); null in older state files.</summary>
    public DateTimeOffset? Started { get; init; }

    public double? FinalTrainLoss { get; init; }
    public double? FinalTrainError { get; init; }
    public double? FinalValidationError { get; init; }
    public double? FinalTestError { get; init; }

    public int? BestEpoch { get; init; }
    public double? BestValidationError { get; init; }
    public double? TestErrorAtBestEpoch { get; init; }

    /// <summary>The state before the first step: the initial model's (epoch 0's) validation and test error. The best epoch
    /// is chosen among trained epochs only.</summary>
    public TrainingState AfterInitial(EpochRecord initial) => this with
    {
        Epoch = 0,
        Step = 0,
        FinalValidationError = initial.Validation?.Error,
        FinalTestError = initial.Test?.Error,
    };

    /// <summary>The state after <paramref name="record"/>'s epoch; the schedule gives the next learning rate.</summary>
    public TrainingState After(EpochRecord record, long optimizerSteps, LearningRateSchedule schedule, out bool improved)
    {
        var better = record.Validation is { } v && (BestValidationError is not { } best || v.Error < best);
        improved = better;
        return this with
        {
            Epoch = record.Epoch,
            Step = record.Step,
            OptimizerSteps = optimizerSteps,
            TrainingSeconds = TrainingSeconds + record.WallSeconds,
            FinalTrainLoss = record.TrainLoss,
            FinalTrainError = record.TrainError,
            FinalValidationError = record.Validation?.Error,
            FinalTestError = record.Test?.Error,
            BestEpoch = better ? record.Epoch : BestEpoch,
            BestValidationError = better ? record.Validation!.Error : BestValidationError,
            TestErrorAtBestEpoch = better ? record.Test?.Error : TestErrorAtBestEpoch,
            EpochsWithoutImprovement = better ? 0 : EpochsWithoutImprovement + 1,
            LearningRate = schedule.AfterEpoch(record.Epoch, better),
        };
    }
}
