using TorchLoss.Data;
using TorchLoss.Heads;
using TorchLoss.Torch;
using TorchLoss.Torch.NN;
using TorchLoss.Torch.Optim;

namespace TorchLoss.Training;

/// <summary>One optimisation step through libtorch's autograd: forward, the head's loss, backward, the step statistics,
/// the optimizer's update. Runs any model, head, optimizer and device. The caller owns the dispose scope the batch and
/// temporaries live in.</summary>
public sealed class AutogradStep(Sequential model, OutputHead head, Optimizer optimizer, StepStatistics statistics) : ITrainingStep
{
    readonly IReadOnlyList<Tensor> parameters = model.Parameters();
    readonly DType dtype = model.Parameters()[0].DType;

    public TrainingEngine Engine => TrainingEngine.Autograd;

    public void Run(Batch batch)
    {
        var logits = model.Forward(batch.X);
        if (statistics.Full) logits.RetainGrad();
        var targets = head.Targets(batch.Y, logits.Size(1), dtype);
        var loss = head.Loss(logits, targets);
        optimizer.ZeroGrad();
        loss.Backward();
        statistics.Record(head, loss, logits, targets, batch.Y, parameters);
        optimizer.Step();
    }

    public SplitScore? Score(TensorSplit split) => Evaluation.Score(model, head, split, dtype);

    public void Dispose() { }
}
