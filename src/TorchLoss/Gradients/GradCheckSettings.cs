using System.Text.Json.Serialization;
using TorchLoss.Engines;
using TorchLoss.Fused;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Training;

namespace TorchLoss.Gradients;

/// <summary>Logits as a model produces them at its random start, or rescaled until the largest |z| is
/// <see cref="GradCheckSettings.SaturatedLogit"/>.</summary>
public enum LogitRegime { Typical, Saturated }

/// <summary>What <see cref="GradCheck"/> checks: every head on every model, logit regime and batch size.</summary>
public sealed record GradCheckSettings
{
    [JsonIgnore]
    public IReadOnlyList<OutputHead> Heads { get; init; } = HeadCatalog.Names.Select(name => HeadCatalog.Create(name)).ToList();

    /// <summary>Each head's loss convention by name (for the JSON report).</summary>
    public IReadOnlyDictionary<string, string> HeadConventions => Heads.ToDictionary(h => h.Name, h => h.Convention);

    /// <summary>How the fused step computes a head, for checking its gradients; null: the head has no fused form and its
    /// fused rows are left empty. What the head declares, as the engine reads it (<see cref="FusedStep.FormOf"/>), unless
    /// replaced, which a test does to show that a wrong mapping fails the check.</summary>
    [JsonIgnore]
    public Func<OutputHead, long, FusedHead?> FusedForm { get; init; } = FusedStep.FormOf;

    public IReadOnlyList<int> BatchSizes { get; init; } = [1, 16];

    public int Classes { get; init; } = 4;

    public int Features { get; init; } = 5;

    public int HiddenUnits { get; init; } = 6;

    public HiddenActivation Activation { get; init; } = HiddenActivation.Sigmoid;

    /// <summary>The largest |z| in the saturated regime.</summary>
    public double SaturatedLogit { get; init; } = 30;

    public ulong Seed { get; init; } = 1;

    public void Validate()
    {
        if (Heads.Count == 0) throw new ArgumentException("gradcheck needs at least one head");
        if (BatchSizes.Count == 0 || BatchSizes.Any(b => b < 1))
            throw new ArgumentOutOfRangeException(nameof(BatchSizes), string.Join(",", BatchSizes), "batch sizes must be at least 1");
        if (Features < 1) throw new ArgumentOutOfRangeException(nameof(Features), Features, "features must be at least 1");
        if (HiddenUnits < 1) throw new ArgumentOutOfRangeException(nameof(HiddenUnits), HiddenUnits, "hidden units must be at least 1");
        foreach (var head in Heads)
            if (Classes < head.MinOutputs)
                throw new ArgumentOutOfRangeException(nameof(Classes), Classes, $"head {head.Name} needs at least {head.MinOutputs} classes");
        if (!(SaturatedLogit > 0) || double.IsInfinity(SaturatedLogit))
            throw new ArgumentOutOfRangeException(nameof(SaturatedLogit), SaturatedLogit, "the saturated logit must be a positive number");
    }
}
