using TorchLoss.Engines;

namespace TorchLoss.Training;

/// <summary>The result of one epoch. Train loss and accuracy are averaged over the epoch's examples as they were
/// trained on (the model changes during the epoch); validation and test are scored, and the weights measured, after the epoch.</summary>
public sealed record EpochRecord(
    int Epoch,
    long Step,
    double LearningRate,
    double TrainLoss,
    double TrainAccuracy,
    SplitScore? Validation,
    SplitScore? Test,
    double WallSeconds,
    double StepsPerSecond,
    IntervalStatistics Statistics,
    WeightNorms? Norms = null)
{
    public double TrainError => 1 - TrainAccuracy;
}
