using TorchLoss.Data;

namespace TorchLoss.Engines;

/// <summary>One optimisation step on a batch, recording its step statistics. Created by <see cref="TrainingEngines.Create"/>.</summary>
public interface ITrainingStep : IDisposable
{
    TrainingEngine Engine { get; }

    void Run(Batch batch);

    /// <summary>Loss and accuracy of the model on a split, the way this engine computes its forward pass.</summary>
    SplitScore? Score(TensorSplit split);
}
