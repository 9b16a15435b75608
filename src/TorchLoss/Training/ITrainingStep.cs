using TorchLoss.Data;

namespace TorchLoss.Training;

/// <summary>One optimisation step on a batch, recording its step statistics. Created by <see cref="TrainingEngines.Create"/>.</summary>
public interface ITrainingStep : IDisposable
{
    TrainingEngine Engine { get; }

    void Run(Batch batch);
}
