using TorchLoss.Data;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Engines;

/// <summary>One optimisation step through TorchSharp's autograd: forward, the head's loss, backward, the step statistics,
/// the optimizer's update. Runs any module, head, optimizer and device. With <paramref name="closedForm"/> the head's
/// loss is a custom autograd function whose backward is the head's hand-derived dL/dz (<see cref="ClosedFormLoss"/>).
/// The caller owns the dispose scope the batch and temporaries live in.</summary>
public sealed class AutogradStep(nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer, StepStatistics statistics,
    bool closedForm = false) : ITrainingStep
{
    readonly IReadOnlyList<Tensor> parameters = model.parameters().ToList<Tensor>();
    readonly ScalarType dtype = model.parameters().First().dtype;

    public TrainingEngine Engine => closedForm ? TrainingEngine.ClosedForm : TrainingEngine.Autograd;

    public void Run(Batch batch)
    {
        var logits = model.forward(batch.X);
        if (statistics.Full) logits.retain_grad();
        var loss = closedForm
            ? ClosedFormLoss.Apply(head, logits, OutputHead.Targets(batch.Y, logits.size(1), dtype))
            : head.TrainingLoss(logits, batch.Y);
        // The module's zero_grad drops the gradients (set to none, as PyTorch's default): backward then writes them
        // fresh instead of zero-filling and accumulating into them, two passes over every parameter fewer per step.
        model.zero_grad();
        loss.backward();
        statistics.Record(head, loss, logits, batch.Y, parameters);
        optimizer.step();
    }

    public SplitScore? Score(TensorSplit split) => Evaluation.Score(model, head, split, dtype);

    public void Dispose() { }
}
