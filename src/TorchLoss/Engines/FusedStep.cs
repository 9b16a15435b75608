using TorchLoss.Data;
using TorchLoss.Fused;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Training;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Engines;

/// <summary>One SGD step done natively in one call (<see cref="FusedMlp"/>): the head's hand-derived dL/dz instead of
/// autograd, the step statistics computed on the way, TorchSharp's SGD momentum buffers updated in place (so a run can
/// switch engines or resume from a checkpoint with the same state).</summary>
public sealed class FusedStep : ITrainingStep
{
    readonly FusedMlp mlp;
    readonly Parameter[] parameters;
    readonly SGD optimizer;
    readonly StepStatistics statistics;
    readonly double[] output;
    readonly long outputs;

    public FusedStep(nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer, StepStatistics statistics, int threads)
    {
        if (Unsupported(model, head, optimizer) is { } reason) throw new NotSupportedException(reason);
        var sequential = (Sequential)model;
        parameters = sequential.parameters().ToArray();
        outputs = parameters[^1].size(0);
        mlp = FusedMlp.Create(sequential, FormOf(head, outputs)!, threads);
        this.optimizer = (SGD)optimizer;
        this.statistics = statistics;
        output = new double[mlp.OutputLength];
    }

    public TrainingEngine Engine => TrainingEngine.Fused;

    /// <summary>Why the fused step cannot train this combination, or null when it can.</summary>
    public static string? Unsupported(nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer)
    {
        if (optimizer is not SGD sgd) return "the fused step implements SGD only";
        if (sgd.ParamGroups.Count() != 1) return "the fused step needs one SGD parameter group";
        if (sgd.Settings().Maximize) return "the fused step does not maximize";
        if (model is not Sequential sequential) return $"the fused step runs nn.Sequential models, not {model.GetType().Name}";
        if (FusedMlp.Unsupported(sequential) is { } reason) return reason;
        var outputs = sequential.parameters().Last().size(0);
        return FormOf(head, outputs) is null ? $"head {head.Name} has no fused form" : null;
    }

    /// <summary>The head as the fused step computes it: a built-in head's own declaration (<see cref="IBuiltInHead"/>);
    /// null for any other head (a user's own, say).</summary>
    public static FusedHead? FormOf(OutputHead head, long outputs) => (head as IBuiltInHead)?.FusedForm(outputs);

    public void Run(Batch batch)
    {
        var settings = optimizer.Settings();
        var sgd = new FusedSgd(settings.LearningRate, settings.Momentum, settings.Dampening, settings.WeightDecay, settings.Nesterov);
        if (settings.Momentum == 0)
            mlp.Step(batch.X, batch.Y, null, false, sgd, statistics.Full, output);
        else
            StepWithMomentum(batch, sgd);
        var batchSize = batch.Y.size(0);
        statistics.Record(output, batchSize, batchSize * outputs);
    }

    /// <summary>A step on TorchSharp's own momentum buffers. Where SGD has none yet, the step starts new ones (zeros, with
    /// the fresh flag: PyTorch's first step sets them to the gradient) that become SGD's only when the step succeeds, so a
    /// refused step leaves the momentum to start as the next gradient, whichever engine takes that step. Buffers for some
    /// parameters only (a partial optimizer state) are refused: the fused step updates all of them.</summary>
    void StepWithMomentum(Batch batch, FusedSgd sgd)
    {
        var states = optimizer.state_dict().State.Cast<SGD.State>().ToList();
        var missing = states.Count(s => s.momentum_buffer is null);
        if (missing == 0)
        {
            mlp.Step(batch.X, batch.Y, states.Select(s => s.momentum_buffer!).ToList(), false, sgd, statistics.Full, output);
            return;
        }
        if (missing != states.Count)
            throw new InvalidOperationException("some parameters have momentum and some do not; the fused step updates all of them");
        var fresh = new Tensor[states.Count];
        try
        {
            using (torch.no_grad())
                for (var i = 0; i < fresh.Length; i++)
                    fresh[i] = torch.zeros_like(parameters[i]).DetachFromDisposeScope();
            mlp.Step(batch.X, batch.Y, fresh, true, sgd, statistics.Full, output);
        }
        catch
        {
            foreach (var b in fresh) b?.Dispose();
            throw;
        }
        for (var i = 0; i < states.Count; i++) states[i].momentum_buffer = fresh[i];
    }

    public SplitScore? Score(TensorSplit split) => Score(mlp, split);

    /// <summary>The fused forward pass's score of a model the fused step can run (<see cref="CanScore"/>) on
    /// <paramref name="threads"/> threads: what a fused run records, for the initial model and for eval.</summary>
    public static SplitScore? Score(nn.Module<Tensor, Tensor> model, OutputHead head, TensorSplit split, int threads)
    {
        if (split.Count == 0) return null;
        var sequential = (Sequential)model;
        using var mlp = FusedMlp.Create(sequential, FormOf(head, sequential.parameters().Last().size(0))!, threads);
        return Score(mlp, split);
    }

    /// <summary>Whether the fused forward pass can score this model with this head (SGD aside, as for training).</summary>
    public static bool CanScore(nn.Module<Tensor, Tensor> model, OutputHead head) =>
        model is Sequential sequential && FusedMlp.Unsupported(sequential) is null
        && FormOf(head, sequential.parameters().Last().size(0)) is not null;

    // Sums in double, one batch of 1,000 at a time.
    static SplitScore? Score(FusedMlp mlp, TensorSplit split)
    {
        if (split.Count == 0) return null;
        const int batchSize = 1000;
        double lossSum = 0, correct = 0;
        using var batches = split.Batches(batchSize);
        for (var i = 0; i < batches.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = batches[i];
            var (loss, right) = mlp.Evaluate(batch.X, batch.Y);
            lossSum += loss;
            correct += right;
        }
        return new SplitScore(lossSum / split.Count, correct / split.Count);
    }

    /// <summary>The fused step's gradients of the batch-mean loss for a model of <paramref name="spec"/> holding
    /// <paramref name="variables"/> (weight and bias pairs), without an update; null where the fused step has no form
    /// for the head. Used by gradcheck.</summary>
    public static Tensor[]? Gradients(ModelSpec spec, OutputHead head, Tensor x, Tensor labels, IReadOnlyList<Tensor> variables, int classes) =>
        FormOf(head, classes) is { } form ? Gradients(spec, form, x, labels, variables, classes) : null;

    /// <summary>As <see cref="Gradients(ModelSpec, OutputHead, Tensor, Tensor, IReadOnlyList{Tensor}, int)"/>, for a head as
    /// <paramref name="form"/> says the fused step computes it (gradcheck's seam for checking a mapping other than
    /// <see cref="FormOf"/>); null where the variables do not fit the model.</summary>
    public static Tensor[]? Gradients(ModelSpec spec, FusedHead form, Tensor x, Tensor labels, IReadOnlyList<Tensor> variables, int classes)
    {
        using var model = spec.Build((int)x.size(1), classes, dtype: x.dtype);
        var named = model.parameters().ToList();
        if (named.Count != variables.Count) return null;
        using (torch.no_grad())
            for (var i = 0; i < named.Count; i++)
            {
                if (!named[i].shape.SequenceEqual(variables[i].shape)) return null;
                named[i].copy_(variables[i]);
            }
        using var mlp = FusedMlp.Create(model, form, threads: 1);
        return mlp.Gradients(x.contiguous(), labels, new double[mlp.OutputLength]);
    }

    public void Dispose() => mlp.Dispose();
}
