using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Analysis;

public sealed record SaturationPoint(double Margin, double Loss, double GradientNorm);

/// <summary>One head's |dL/dz| (the head's closed form) along the sweep of the margin.</summary>
/// <param name="Outputs">1: a single logit m with label 1; otherwise logits (m, 0, ..., 0) with class 0 true.</param>
public sealed record SaturationCurve(string Head, int Outputs, IReadOnlyList<SaturationPoint> Points)
{
    /// <summary>An end of the sweep counts as vanished when |dL/dz| there is below this fraction of the curve's peak.</summary>
    public const double VanishingRatio = 1e-6;

    public double Peak => Points.Max(p => p.GradientNorm);

    public bool VanishesWhenWrong => Points[0].GradientNorm <= VanishingRatio * Peak;

    public bool VanishesWhenRight => Points[^1].GradientNorm <= VanishingRatio * Peak;
}

/// <summary>
/// For each head, |dL/dz| as the true class's margin m = z_true - z_other sweeps from very wrong (m &lt;&lt; 0) to very
/// right (m &gt;&gt; 0) with the other logits fixed at 0. Heads that can work with one output unit (sigmoid heads, the
/// square loss on logits) get a single logit m with label 1, so that no other unit adds a constant gradient; softmax
/// heads get <c>classes</c> logits (m, 0, ..., 0) with class 0 true.
/// </summary>
public static class SaturationSweep
{
    public static IReadOnlyList<SaturationCurve> Run(IReadOnlyList<OutputHead> heads, int classes, double from, double to, int points)
    {
        if (!(from < to) || !double.IsFinite(from) || !double.IsFinite(to)) throw new ArgumentException($"the margin range {from}..{to} must be finite with from < to");
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "the sweep needs at least 2 points");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "softmax heads need at least 2 classes");
        var margins = Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();
        return heads.Select(head => Sweep(head, head.MinOutputs == 1 ? 1 : classes, margins)).ToList();
    }

    static SaturationCurve Sweep(OutputHead head, int outputs, double[] margins)
    {
        using var scope = torch.NewDisposeScope();
        var logits = new double[margins.Length * outputs];
        for (var i = 0; i < margins.Length; i++) logits[i * outputs] = margins[i];
        var z = ArrayTensors.Float64(logits, [margins.Length, outputs]);
        var labels = torch.full([margins.Length], outputs == 1 ? 1 : 0, ScalarType.Int64);
        var targets = OutputHead.Targets(labels, outputs, ScalarType.Float64);
        var norms = head.LogitGradient(z, targets).square().sum(1).sqrt().data<double>().ToArray();
        var losses = head.ExampleLoss(z, targets).data<double>().ToArray();
        return new SaturationCurve(head.Name, outputs, margins.Select((m, i) => new SaturationPoint(m, losses[i], norms[i])).ToList());
    }
}
