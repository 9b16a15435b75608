using TorchLoss.Data;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>The fused native step (pending: being rewritten without ATen). Until it lands, it reports itself unsupported
/// so auto falls back to autograd.</summary>
public sealed class FusedStep : ITrainingStep
{
    public FusedStep(nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer, StepStatistics statistics, int threads) =>
        throw new NotSupportedException(Unsupported(model, head, optimizer));

    public static string? Unsupported(nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer) =>
        "the fused engine is not built in this version";

    public static Tensor[]? Gradients(Models.ModelSpec spec, OutputHead head, Tensor x, Tensor labels, IReadOnlyList<Tensor> variables, int classes) => null;

    public TrainingEngine Engine => TrainingEngine.Fused;
    public void Run(Batch batch) { }
    public SplitScore? Score(TensorSplit split) => null;
    public void Dispose() { }
}
