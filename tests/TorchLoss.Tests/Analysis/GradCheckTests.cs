using TorchLoss.Engines;
using TorchLoss.Fused;
using TorchLoss.Gradients;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Analysis;

/// <summary>The gradient check itself: it passes on the heads as they are, reaches saturation, and fails on a wrong closed form.</summary>
[Collection(SerialCollection.Name)]
public class GradCheckTests
{
    [Fact]
    public void EveryHeadsClosedFormPassesOnEveryModelIncludingSaturatedLogitsAndABatchOfOne()
    {
        var report = GradCheck.Run(new GradCheckSettings());
        Assert.True(report.Passed, string.Join("\n", report.Rows.Where(r => !r.Passed)));
        Assert.Equal(HeadCatalog.Names.Order(), report.Rows.Select(r => r.Head).Distinct().Order());
        Assert.Equal(["linear", "logits", "mlp"], report.Rows.Select(r => r.Model).Distinct().Order());
        Assert.Contains(report.Rows, r => r.Batch == 1);
        Assert.Contains(report.Rows, r => r.Batch == 16);
        Assert.All(report.Rows.Where(r => r.Logits == LogitRegime.Saturated), r => Assert.Equal(30, r.MaxLogit));
        // 2 batch sizes x 2 regimes x 7 variables (z; W, b; W1, b1, W2, b2) per head.
        Assert.Equal(5 * 2 * 2 * 7, report.Rows.Count);
        Assert.Equal(5 * 7, report.Summary.Count);
    }

    [Fact]
    public void SaturatedCasesReallySaturate()
    {
        var report = GradCheck.Run(new GradCheckSettings { Heads = [new SigmoidSquaredErrorHead()], BatchSizes = [1] });
        var saturated = report.Rows.Single(r => r.Model == "logits" && r.Logits == LogitRegime.Saturated);
        var typical = report.Rows.Single(r => r.Model == "logits" && r.Logits == LogitRegime.Typical);
        Assert.True(typical.MaxGradient > 1e-3, $"typical |dL/dz| {typical.MaxGradient}");
        Assert.True(saturated.MaxGradient < typical.MaxGradient * 1e-3, $"saturated |dL/dz| {saturated.MaxGradient}");
        Assert.True(saturated.Passed);
    }

    [Fact]
    public void AClosedFormOffByOnePartInAMillionFailsAgainstAutogradThoughFiniteDifferencesCannotTell()
    {
        var report = GradCheck.Run(new GradCheckSettings { Heads = [new ScaledGradientHead(1 + 1e-6)], BatchSizes = [3] });
        Assert.False(report.Passed);
        Assert.All(report.Rows, r => Assert.False(GradCheck.ClosedFormVsAutograd.Accepts(r.ClosedFormVsAutograd)));
        Assert.All(report.Rows, r => Assert.True(GradCheck.ClosedFormVsFiniteDifferences.Accepts(r.ClosedFormVsFiniteDifferences)));
    }

    [Fact]
    public void AWrongClosedFormFailsBothChecks()
    {
        var report = GradCheck.Run(new GradCheckSettings { Heads = [new ScaledGradientHead(1.01)], BatchSizes = [1] });
        Assert.All(report.Rows, r => Assert.False(GradCheck.ClosedFormVsFiniteDifferences.Accepts(r.ClosedFormVsFiniteDifferences)));
    }

    [Fact]
    public void TheFusedStepsGradientsAreCheckedOnTheLinearModelAndTheMlpButNotOnBareLogits()
    {
        var report = GradCheck.Run(new GradCheckSettings { BatchSizes = [4] });
        Assert.Contains(report.Rows, r => r.Model == "logits");
        Assert.All(report.Rows.Where(r => r.Model == "logits"), r => Assert.Null(r.FusedVsClosedForm));
        Assert.Equal(["linear", "mlp"], report.Rows.Where(r => r.Model != "logits").Select(r => r.Model).Distinct().Order());
        Assert.All(report.Rows.Where(r => r.Model != "logits"), r =>
        {
            Assert.NotNull(r.FusedVsClosedForm);
            Assert.True(GradCheck.ClosedFormVsAutograd.Accepts(r.FusedVsClosedForm!), $"{r.Head} {r.Model} {r.Variable}: {r.FusedVsClosedForm}");
        });
    }

    [Fact]
    public void AFusedFormThatDisagreesWithTheClosedFormFailsTheCheck()
    {
        // softmax-ce's closed form, but the fused step is told to compute softmax + squared error: a deliberate bug in the
        // head -> fused mapping (each built-in head declares its fused form; FusedStep.FormOf reads it).
        var report = GradCheck.Run(new GradCheckSettings
        {
            Heads = [new SoftmaxCrossEntropyHead()], BatchSizes = [3], FusedForm = (_, _) => new FusedHead(FusedLoss.SoftmaxSquaredError),
        });
        Assert.False(report.Passed);
        Assert.Contains(report.Rows, r => r.Model != "logits");
        Assert.All(report.Rows.Where(r => r.Model != "logits"), r => Assert.False(r.Passed));
        Assert.All(report.Rows, r => Assert.True(GradCheck.ClosedFormVsAutograd.Accepts(r.ClosedFormVsAutograd)));
        Assert.All(report.Rows, r => Assert.True(GradCheck.ClosedFormVsFiniteDifferences.Accepts(r.ClosedFormVsFiniteDifferences)));
        // The same run with the engine's own mapping passes: the failure above is the mapping's alone.
        Assert.True(GradCheck.Run(new GradCheckSettings { Heads = [new SoftmaxCrossEntropyHead()], BatchSizes = [3] }).Passed);
    }

    [Fact]
    public void AHeadWithoutAFusedFormIsCheckedWithoutTheFusedStep()
    {
        // A user's own head: the engine's mapping has no fused form for it, so gradcheck leaves the fused rows empty.
        var report = GradCheck.Run(new GradCheckSettings { Heads = [new RenamedCrossEntropyHead()], BatchSizes = [2] });
        Assert.True(report.Passed, string.Join("\n", report.Rows.Where(r => !r.Passed)));
        Assert.All(report.Rows, r => Assert.Null(r.FusedVsClosedForm));
    }

    /// <summary>Softmax + cross-entropy, unchanged, under a name the fused step does not know.</summary>
    sealed class RenamedCrossEntropyHead() : CrossEntropyLike("renamed-ce", "softmax-ce under another name");

    [Fact]
    public void ErrorsUseTheFloorForElementsNearZero()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new[] { 1.0, 1e-20, 2 });
        var b = torch.tensor(new[] { 1.0 + 1e-9, 2e-20, 2 });
        var error = GradientError.Between(a, b, floor: 1e-7);
        Assert.Equal(1e-9, error.MaxAbsolute, 1e-15);
        Assert.Equal(1e-9, error.MaxRelative, 1e-15);
        var tolerance = new Tolerance(1e-8, 1e-7, "|L|");
        Assert.True(tolerance.Accepts(error));
        Assert.False(tolerance.Accepts(GradientError.Between(a, b * 1.001, 1e-7)));
        Assert.Equal(1e-5, tolerance.FloorFor(-100), 1e-18);
        Assert.Equal(1e-7, tolerance.FloorFor(0.5), 1e-18);
        Assert.Equal("|a - b| <= 1e-08 * max(|a|, |b|) or |a - b| <= 1e-15 * max(1, |L|)", tolerance.Criterion);
    }

    /// <summary>Softmax + cross-entropy with its closed-form gradient multiplied by a factor: a deliberate bug.</summary>
    sealed class ScaledGradientHead(double factor) : CrossEntropyLike("scaled-ce", "softmax-ce with a scaled gradient")
    {
        public override Tensor LogitGradient(Tensor logits, Tensor targets)
        {
            using var exact = base.LogitGradient(logits, targets);
            return exact * factor;
        }
    }

    /// <summary>Softmax + cross-entropy under another name, for heads that break one piece of it.</summary>
    abstract class CrossEntropyLike(string headName, string headDescription) : OutputHead
    {
        readonly SoftmaxCrossEntropyHead inner = new();
        public override string Name => headName;
        public override string Description => headDescription;
        public override int MinOutputs => 2;
        public override Tensor Activate(Tensor logits) => inner.Activate(logits);
        public override Tensor ExampleLoss(Tensor logits, Tensor targets) => inner.ExampleLoss(logits, targets);
        public override Tensor LogitGradient(Tensor logits, Tensor targets) => inner.LogitGradient(logits, targets);
    }
}
