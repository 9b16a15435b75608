using TorchLoss.Analysis;
using TorchLoss.Analysis.Claims;
using TorchLoss.Heads;

namespace TorchLoss.Tests.Analysis;

/// <summary>Each verdict is computed from our numbers: change the numbers or the convention and it follows.</summary>
public class SourceClaimsTests
{
    static readonly double[] Target = [1, 0, 0];
    static readonly LabelledPoint[] SeedSamples = [new(2, 1), new(1, 1), new(0.5, 0)];

    [Theory]
    [InlineData(0.223144, "0.223", true)]
    [InlineData(0.2236, "0.223", false)]
    [InlineData(0.0216667, "0.025", false)]
    [InlineData(0.025, "0.025", true)]
    [InlineData(0.0085, "0.00809", false)]
    public void PrintedNumbersMatchWhenOursRoundsToThem(double ours, string printed, bool matches) =>
        Assert.Equal(matches, PrintedNumber.Matches(ours, printed));

    [Fact]
    public void TheSecondPredictionsMseFollowsTheConvention()
    {
        var losses = WorkedExamples.Losses(Target, [0.8, 0.15, 0.05]);
        var postsOwn = ExampleClaims.SquaredErrorValue(Target, losses, "0.025", SquaredErrorConvention.MeanOverClasses);
        Assert.Equal(Verdict.DoesNotHold, postsOwn.Verdict);
        Assert.Contains("= 0.0216667", postsOwn.Ours);
        Assert.Contains("0.025 is the sum of p^2 over the wrong classes only", postsOwn.Ours);
        Assert.Equal(Verdict.Holds, ExampleClaims.SquaredErrorValue(Target, losses, "0.025", SquaredErrorConvention.WrongClassesOnly).Verdict);
        Assert.Equal(Verdict.DoesNotHold, ExampleClaims.SquaredErrorValue(Target, losses, "0.025", SquaredErrorConvention.HalfSum).Verdict);
    }

    [Fact]
    public void TheFirstPredictionsMseHoldsUnderTwoConventionsOnly()
    {
        var losses = WorkedExamples.Losses(Target, [0.8, 0.1, 0.1]);
        var held = Enum.GetValues<SquaredErrorConvention>()
            .Where(c => ExampleClaims.SquaredErrorValue(Target, losses, "0.02", c).Verdict == Verdict.Holds).ToList();
        Assert.Equal([SquaredErrorConvention.MeanOverClasses, SquaredErrorConvention.WrongClassesOnly], held);
    }

    [Fact]
    public void TheCrossEntropyValueNamesTheBaseThatGivesIt()
    {
        var losses = new[] { WorkedExamples.Losses(Target, [0.8, 0.1, 0.1]) };
        Assert.Contains("nats (ln)", ExampleClaims.CrossEntropyValue(losses, "0.223").Ours);
        var bits = ExampleClaims.CrossEntropyValue(losses, "0.322");
        Assert.Equal(Verdict.Holds, bits.Verdict);
        Assert.Contains("bits (log2)", bits.Ours);
        Assert.Equal(Verdict.DoesNotHold, ExampleClaims.CrossEntropyValue(losses, "0.25").Verdict);
    }

    [Fact]
    public void SoftmaxValuesAreComparedAtThePrintedDigits()
    {
        var p = WorkedExamples.Softmax([0.2, 5, 0.3]);
        Assert.Equal(Verdict.Holds, ExampleClaims.SoftmaxValues([0.2, 5, 0.3], p, ["0.00809", "0.983", "0.00894"]).Verdict);
        Assert.Equal(Verdict.DoesNotHold, ExampleClaims.SoftmaxValues([0.2, 5, 0.3], p, ["0.00809", "0.983", "0.00895"]).Verdict);
    }

    [Fact]
    public void CrossEntropyKeepsItsGradientOnlyWhenConfidentlyWrong()
    {
        var curves = SaturationSweep.Run([new SoftmaxCrossEntropyHead(), new SoftmaxSquaredErrorHead(SquaredErrorReduction.HalfSum)], 10, -30, 30, 241);
        var ce = ExampleClaims.CrossEntropyKeepsItsGradient(curves[0]);
        Assert.Equal(Verdict.HoldsOnlyWhen, ce.Verdict);
        Assert.StartsWith("holds only when the prediction is confidently wrong", ce.VerdictText);
        Assert.Contains("8.9e-13 at 30 (confidently right)", ce.Ours);
        Assert.Equal(Verdict.Holds, ExampleClaims.SquaredErrorLosesItsGradient(curves[1]).Verdict);

        // A sweep that stops short of saturation keeps CE's gradient at both ends, and the verdict follows.
        var mild = SaturationSweep.Run([new SoftmaxCrossEntropyHead(), new SoftmaxSquaredErrorHead(SquaredErrorReduction.HalfSum)], 10, -3, 3, 25);
        Assert.Equal(Verdict.Holds, ExampleClaims.CrossEntropyKeepsItsGradient(mild[0]).Verdict);
        Assert.Equal(Verdict.DoesNotHold, ExampleClaims.SquaredErrorLosesItsGradient(mild[1]).Verdict);
    }

    [Fact]
    public void TheFirstPostsCrossEntropyDerivativeHasTheWrongSign()
    {
        var landscape = Landscape.Compute(SeedSamples, -15, 15, 121);
        var posts = LandscapeClaims.Formula(landscape, SourcePosts.WhySoftmaxRegressionDoesNotUseMse, "dL/dw = (y - h) x", "(h - y) x",
            (h, y, x) => (y - h) * x, r => r.CrossEntropySlope);
        Assert.Equal(Verdict.DoesNotHold, posts.Verdict);
        Assert.Contains("the sign is flipped: (h - y) x agrees", posts.Ours);
        var fixedSign = LandscapeClaims.Formula(landscape, SourcePosts.WhySoftmaxRegressionDoesNotUseMse, "dL/dw = (h - y) x", null,
            (h, y, x) => (h - y) * x, r => r.CrossEntropySlope);
        Assert.Equal(Verdict.Holds, fixedSign.Verdict);
        // Off by a factor rather than a sign: fails without blaming the sign.
        var doubled = LandscapeClaims.Formula(landscape, SourcePosts.WhySoftmaxRegressionDoesNotUseMse, "MSE without the 1/2", null,
            (h, y, x) => -2 * (3 * h * h - 2 * h - 2 * y * h + y) * h * (1 - h) * x * x, r => r.SquaredErrorCurvatureAutograd);
        Assert.Equal(Verdict.DoesNotHold, doubled.Verdict);
        Assert.DoesNotContain("flipped", doubled.Ours);
    }

    [Fact]
    public void TheSeedSamplesHaveOneMseMinimumAndAPlateauNotASecondMinimum()
    {
        var landscape = Landscape.Compute(SeedSamples, -15, 15, 601);
        var mse = landscape.SquaredErrorShape;
        var minimum = Assert.Single(mse.Stationary);
        Assert.True(minimum.IsMinimum);
        Assert.InRange(minimum.W, 1.0, 1.05);
        Assert.NotEmpty(mse.NonConvex);
        Assert.Equal(-15, mse.Flattest!.SmallestSlopeAt);
        Assert.InRange(mse.Flattest.SmallestSlope, 1.4e-7, 1.6e-7);
        Assert.Empty(landscape.CrossEntropyShape.Plateaus);

        var claims = LandscapeClaims.All(landscape);
        Assert.Equal(Verdict.HoldsOnlyWhen, claims.Single(c => c.Says.StartsWith("because MSE is non-convex")).Verdict);
        Assert.Equal(Verdict.Holds, claims.Single(c => c.Says.StartsWith("MSE's gradient gets very small")).Verdict);
    }

    [Fact]
    public void SamplesWithTwoMseMinimaMakeTheNonConvexityClaimHold()
    {
        LabelledPoint[] samples = [new(0.5, 1), new(0.5, 1), new(0.5, 0), new(-0.5, 0), new(3, 0)];
        var landscape = Landscape.Compute(samples, -15, 15, 601);
        Assert.Equal(2, landscape.SquaredErrorShape.Minima);
        Assert.True(landscape.SquaredErrorShape.HasSecondMinimum);
        Assert.Single(landscape.CrossEntropyShape.Stationary);
        var claim = LandscapeClaims.NonConvexityMissesTheOptimum(landscape.SquaredErrorShape, landscape.CrossEntropyShape);
        Assert.Equal(Verdict.Holds, claim.Verdict);
    }

    [Fact]
    public void ANarrowRangeHasNoPlateauAndTheSmallGradientClaimFails()
    {
        var landscape = Landscape.Compute(SeedSamples, -2, 4, 121);
        Assert.Empty(landscape.SquaredErrorShape.Plateaus);
        Assert.Equal(Verdict.DoesNotHold, LandscapeClaims.SmallGradientFarAway(landscape.SquaredErrorShape).Verdict);
    }
}
