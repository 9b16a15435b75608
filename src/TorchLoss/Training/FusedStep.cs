using TorchLoss.Data;
using TorchLoss.Heads;

namespace TorchLoss.Training;

/// <summary>One SGD step done natively in one call (<see cref="FusedMlp"/>): the head's hand-derived dL/dz instead of
/// autograd, the step statistics computed on the way, the optimizer's momentum buffers updated in place.</summary>
public sealed class FusedStep : ITrainingStep
{
    readonly FusedMlp mlp;
    readonly Sgd optimizer;
    readonly StepStatistics statistics;
    readonly double[] output;
    readonly long outputs;

    public FusedStep(Sequential model, OutputHead head, Sgd optimizer, StepStatistics statistics)
    {
        outputs = model.Layers.OfType<Linear>().Last().OutFeatures;
        var fusedHead = head.Fused(outputs) ?? throw new NotSupportedException($"head {head.Name} has no fused form");
        mlp = FusedMlp.Create(model, fusedHead);
        this.optimizer = optimizer;
        this.statistics = statistics;
        output = new double[mlp.OutputLength];
    }

    public TrainingEngine Engine => TrainingEngine.Fused;

    public void Run(Batch batch)
    {
        var momentum = optimizer.MomentumForExternalUpdate();
        var sgd = new FusedSgd(optimizer.LearningRate, optimizer.Momentum, optimizer.Dampening, optimizer.WeightDecay, optimizer.Nesterov);
        mlp.Step(batch.X, batch.Y, momentum?.Buffers, momentum?.Fresh ?? false, sgd, statistics.Full, output);
        optimizer.CountExternalStep();
        var batchSize = batch.Y.size(0);
        statistics.Record(output, batchSize, batchSize * outputs);
    }

    public SplitScore? Score(TensorSplit split) => Evaluation.Score(mlp, split);

    public void Dispose() => mlp.Dispose();
}
