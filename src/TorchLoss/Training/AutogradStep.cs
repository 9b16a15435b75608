using TorchLoss.Data;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>One optimisation step through libtorch's autograd: forward, the head's loss, backward, the step statistics,
/// the optimizer's update. Runs any model, head, optimizer and device. The caller owns the dispose scope the batch and
/// temporaries live in.</summary>
public sealed class AutogradStep(Sequential model, OutputHead head, Optimizer optimizer, StepStatistics statistics) : ITrainingStep
{
    readonly IReadOnlyList<Tensor> parameters = model.parameters();
    readonly ScalarType dtype = model.parameters()[0].dtype;

    public TrainingEngine Engine => TrainingEngine.Autograd;

    public void Run(Batch batch)
    {
        var logits = model.forward(batch.X);
        if (statistics.Full) logits.retain_grad();
        var targets = head.Targets(batch.Y, logits.size(1), dtype);
        var loss = head.Loss(logits, targets);
        optimizer.zero_grad();
        loss.backward();
        statistics.Record(head, loss, logits, targets, batch.Y, parameters);
        optimizer.step();
    }

    public SplitScore? Score(TensorSplit split) => Evaluation.Score(model, head, split, dtype);

    public void Dispose() { }
}
