using TorchLoss.Engines;

namespace TorchLoss.Training;

/// <summary>Receives progress from a running trainer (the CLI draws progress bars; tests and `compare` listen).</summary>
public interface ITrainingObserver
{
    void RunStarted(RunEnvironment environment, int firstEpoch, int epochs, int stepsPerEpoch) { }
    /// <summary>Called after each optimisation step. Throwing <see cref="OperationCanceledException"/> here stops the run at
    /// this step boundary: its folder stays incomplete, and <see cref="Trainer.Resume"/> continues it from the last checkpoint.</summary>
    void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch) { }
    void IntervalCompleted(int epoch, long step, IntervalStatistics statistics) { }
    void EpochCompleted(EpochRecord record) { }
}

public sealed class SilentObserver : ITrainingObserver;
