using TorchLoss.Data;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Engines;

/// <summary>How a training step computes its gradients.</summary>
public enum TrainingEngine
{
    /// <summary>Fused where the configuration allows it, autograd otherwise.</summary>
    Auto,
    /// <summary>The native fused step: hand-derived gradients, SGD only, CPU only.</summary>
    Fused,
    /// <summary>TorchSharp's autograd: any model, head, optimizer and device.</summary>
    Autograd,
    /// <summary>TorchSharp's autograd with the head's hand-derived dL/dz as the loss's backward (any device).</summary>
    ClosedForm,
}

public static class TrainingEngines
{
    public static IReadOnlyList<string> Names { get; } = ["auto", "fused", "autograd", "closed-form"];

    public static TrainingEngine Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => TrainingEngine.Auto,
        "fused" => TrainingEngine.Fused,
        "autograd" => TrainingEngine.Autograd,
        "closed-form" => TrainingEngine.ClosedForm,
        _ => throw new FormatException($"unknown engine '{text}': expected one of {string.Join(", ", Names)}"),
    };

    public static string Name(this TrainingEngine engine) => Names[(int)engine];

    /// <summary>The engine that will run: <paramref name="requested"/>, or for Auto the fused one where supported.
    /// Asking for Fused where it is unsupported is a FormatException that says why.</summary>
    public static (TrainingEngine Engine, string? FallbackReason) Resolve(TrainingEngine requested, nn.Module<Tensor, Tensor> model,
        OutputHead head, optim.Optimizer optimizer)
    {
        if (requested is TrainingEngine.Autograd or TrainingEngine.ClosedForm) return (requested, null);
        var reason = FusedStep.Unsupported(model, head, optimizer);
        if (reason is null) return (TrainingEngine.Fused, null);
        if (requested == TrainingEngine.Fused) throw new FormatException($"--engine fused cannot run this configuration: {reason}");
        return (TrainingEngine.Autograd, reason);
    }

    /// <summary>A step for a resolved engine (Fused, Autograd or ClosedForm). The fused step runs on
    /// <paramref name="fusedThreads"/> threads, by default <see cref="ThreadSettings.FusedThreads"/>.</summary>
    public static ITrainingStep Create(TrainingEngine engine, nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer,
        StepStatistics statistics, int? fusedThreads = null) => engine switch
    {
        TrainingEngine.Fused => new FusedStep(model, head, optimizer, statistics, fusedThreads ?? ThreadSettings.FusedThreads),
        TrainingEngine.Autograd => new AutogradStep(model, head, optimizer, statistics),
        TrainingEngine.ClosedForm => new AutogradStep(model, head, optimizer, statistics, closedForm: true),
        _ => throw new ArgumentException("resolve the engine first", nameof(engine)),
    };

    /// <summary>
    /// A split's loss and accuracy as <paramref name="engine"/> scores it after every epoch: the fused forward pass (double
    /// sums) for the fused engine on the CPU, autograd's (in the parameters' precision) otherwise. The one scoring path of a run, for
    /// its initial model too, and of eval, which thereby gives the digits the run recorded.
    /// </summary>
    public static SplitScore? Score(TrainingEngine engine, nn.Module<Tensor, Tensor> model, OutputHead head, TensorSplit split, int? fusedThreads = null) =>
        engine == TrainingEngine.Fused && split.Device.type == DeviceType.CPU && FusedStep.CanScore(model, head)
            ? FusedStep.Score(model, head, split, fusedThreads ?? ThreadSettings.FusedThreads)
            : Evaluation.Score(model, head, split, model.parameters().First().dtype);
}
