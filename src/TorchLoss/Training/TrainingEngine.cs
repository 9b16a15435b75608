using TorchLoss.Heads;

namespace TorchLoss.Training;

/// <summary>How a training step computes its gradients.</summary>
public enum TrainingEngine
{
    /// <summary>Fused where the configuration allows it, autograd otherwise.</summary>
    Auto,
    /// <summary>The native fused step: hand-derived gradients, SGD only, CPU only.</summary>
    Fused,
    /// <summary>libtorch's autograd: any model, head, optimizer and device.</summary>
    Autograd,
}

public static class TrainingEngines
{
    public static IReadOnlyList<string> Names { get; } = ["auto", "fused", "autograd"];

    public static TrainingEngine Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => TrainingEngine.Auto,
        "fused" => TrainingEngine.Fused,
        "autograd" => TrainingEngine.Autograd,
        _ => throw new FormatException($"unknown engine '{text}': expected one of {string.Join(", ", Names)}"),
    };

    public static string Name(this TrainingEngine engine) => Names[(int)engine];

    /// <summary>Why the fused step cannot train this combination, or null when it can.</summary>
    public static string? FusedUnsupported(Sequential model, OutputHead head, Optimizer optimizer)
    {
        if (optimizer is not Sgd) return "the fused step implements SGD only";
        if (FusedMlp.Unsupported(model) is { } reason) return reason;
        var outputs = model.Layers.OfType<Linear>().Last().OutFeatures;
        return head.Fused(outputs) is null ? $"head {head.Name} has no fused form" : null;
    }

    /// <summary>The engine that will run: <paramref name="requested"/>, or for Auto the fused one where supported.
    /// Asking for Fused where it is unsupported is a FormatException that says why.</summary>
    public static (TrainingEngine Engine, string? FallbackReason) Resolve(TrainingEngine requested, Sequential model, OutputHead head,
        Optimizer optimizer)
    {
        if (requested == TrainingEngine.Autograd) return (TrainingEngine.Autograd, null);
        var reason = FusedUnsupported(model, head, optimizer);
        if (reason is null) return (TrainingEngine.Fused, null);
        if (requested == TrainingEngine.Fused) throw new FormatException($"--engine fused cannot run this configuration: {reason}");
        return (TrainingEngine.Autograd, reason);
    }

    /// <summary>A step for a resolved engine (Fused or Autograd).</summary>
    public static ITrainingStep Create(TrainingEngine engine, Sequential model, OutputHead head, Optimizer optimizer,
        StepStatistics statistics) => engine switch
    {
        TrainingEngine.Fused => new FusedStep(model, head, (Sgd)optimizer, statistics),
        TrainingEngine.Autograd => new AutogradStep(model, head, optimizer, statistics),
        _ => throw new ArgumentException("resolve the engine first", nameof(engine)),
    };
}
