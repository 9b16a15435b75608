using System.Globalization;

namespace TorchLoss.Training;

/// <summary>
/// The learning rate per epoch: constant; step:N:F multiplies it by F every N epochs; newbob halves it after
/// every epoch whose validation error did not beat the best so far.
/// </summary>
public sealed class LearningRateSchedule
{
    LearningRateSchedule(string kind, double initial, int stepEpochs, double stepFactor)
    {
        Kind = kind;
        Current = initial;
        Initial = initial;
        StepEpochs = stepEpochs;
        StepFactor = stepFactor;
    }

    public string Kind { get; }
    public double Initial { get; }
    public double Current { get; private set; }
    int StepEpochs { get; }
    double StepFactor { get; }

    public const string Syntax = "constant, step:EPOCHS:FACTOR (e.g. step:5:0.5) or newbob";

    public static LearningRateSchedule Parse(string text, double initial)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s == "constant") return new("constant", initial, 0, 1);
        if (s == "newbob") return new("newbob", initial, 0, 0.5);
        var parts = s.Split(':');
        if (parts is ["step", var n, var f]
            && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var epochs) && epochs >= 1
            && double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0 && factor <= 1)
            return new("step", initial, epochs, factor);
        throw new FormatException($"unknown schedule '{text}': expected {Syntax}");
    }

    /// <summary>Updates the rate after <paramref name="epoch"/> (1-based) finished; returns the rate for the next epoch.</summary>
    public double AfterEpoch(int epoch, bool validationImproved)
    {
        if (Kind == "step" && epoch % StepEpochs == 0) Current *= StepFactor;
        if (Kind == "newbob" && !validationImproved) Current *= StepFactor;
        return Current;
    }

    /// <summary>Restores the rate on --resume.</summary>
    public void Restore(double current) => Current = current;
}
