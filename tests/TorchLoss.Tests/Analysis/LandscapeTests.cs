using TorchLoss.Analysis;
using TorchSharp;
using TorchLoss.Gradients;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Analysis;

public class LandscapeTests
{
    static readonly LabelledPoint[] SeedSamples = [new(2, 1), new(1, 1), new(0.5, 0)];

    [Fact]
    public void SecondDerivativeClosedFormsMatchDoubleBackwardIncludingSaturatedWeights()
    {
        var landscape = Landscape.Compute(SeedSamples, -40, 40, 801);
        Assert.True(landscape.CurvaturesAgree);
        // The curvatures here are at most 1.31; libtorch's vectorised exp and the closed form agree to about 1e-15.
        Assert.True(landscape.CrossEntropyCurvatureError.MaxAbsolute < 1e-14, $"{landscape.CrossEntropyCurvatureError}");
        Assert.True(landscape.SquaredErrorCurvatureError.MaxAbsolute < 1e-14, $"{landscape.SquaredErrorCurvatureError}");
    }

    /// <summary>The check above once failed now and then: its tensors were pinned .NET arrays, aligned by the heap's
    /// state, and libtorch's vectorised kernels round an unaligned head of a tensor differently. Now they are in
    /// libtorch's aligned memory, and the landscape is the same bits whatever the heap held before.</summary>
    [Fact]
    public void TheLandscapeIsTheSameBitsWhateverTheManagedHeapHolds()
    {
        var first = Landscape.Compute(SeedSamples, -40, 40, 801).Rows;
        for (var i = 1; i <= 6; i++)
        {
            var heap = new double[i];
            var again = Landscape.Compute(SeedSamples, -40, 40, 801).Rows;
            GC.KeepAlive(heap);
            Assert.Equal(first, again);
        }
    }

    [Fact]
    public void ValuesAtZeroWeightWorkedByHand()
    {
        // At w = 0 every h is 1/2: CE = 3 ln 2, d2 = sum x^2 / 4; MSE = 3/8, d2 = sum x^2 / 16 (the bracket is -1/4 for y = 0 and 1);
        // slopes: CE sum (1/2 - y) x = -1.25, MSE sum (1/2 - y) x / 4.
        var zero = Landscape.Compute(SeedSamples, -1, 1, 3).Rows[1];
        Assert.Equal(0, zero.W);
        Assert.Equal(3 * Math.Log(2), zero.CrossEntropy, 14);
        Assert.Equal(-1.25, zero.CrossEntropySlope, 14);
        Assert.Equal(5.25 / 4, zero.CrossEntropyCurvature, 14);
        Assert.Equal(5.25 / 4, zero.CrossEntropyCurvatureAutograd, 14);
        Assert.Equal(0.375, zero.SquaredError, 14);
        Assert.Equal(-1.25 / 4, zero.SquaredErrorSlope, 14);
        Assert.Equal(5.25 / 16, zero.SquaredErrorCurvature, 14);
        Assert.Equal(5.25 / 16, zero.SquaredErrorCurvatureAutograd, 14);
    }

    [Theory]
    [InlineData(1.0, -5.0, -0.69314718)]  // y = 1: non-convex where h < 1/3, i.e. w < ln(1/2)
    [InlineData(0.0, 0.69314718, 5.0)]    // y = 0: non-convex where h > 2/3, i.e. w > ln 2
    public void OneSampleIsNonConvexWhereTheBracketChangesSign(double label, double from, double to)
    {
        var landscape = Landscape.Compute([new LabelledPoint(1, label)], -5, 5, 1001);
        var interval = Assert.Single(landscape.SquaredErrorNonConvex);
        Assert.Equal(from, interval.From, 3);
        Assert.Equal(to, interval.To, 3);
        Assert.Empty(landscape.CrossEntropyNonConvex);
    }

    [Fact]
    public void TheSeedsSquaredErrorExpressionIsTheSecondDerivativeOfTheHalfConvention()
    {
        using var scope = torch.NewDisposeScope();
        const double x = 1.7, y = 1, w0 = -0.9;
        var w = torch.tensor(new[] { w0 }).requires_grad_();
        var h = (w * x).sigmoid();
        var full = (h - y).square().sum();
        var slope = SafeAutograd.Grad(full, w, createGraph: true);
        var fullCurvature = SafeAutograd.Grad(slope.sum(), w).ToDouble();

        var hv = 1 / (1 + Math.Exp(-w0 * x));
        var seeds = -(3 * hv * hv - 2 * hv - 2 * y * hv + y) * hv * (1 - hv) * x * x;
        Assert.Equal(2 * seeds, fullCurvature, 14);
        var row = Landscape.Compute([new LabelledPoint(x, y)], w0, w0 + 1, 2).Rows[0];
        Assert.Equal(seeds, row.SquaredErrorCurvatureAutograd, 14);
        Assert.Equal(seeds, row.SquaredErrorCurvature, 14);
    }

    [Fact]
    public void BadInputIsRefused()
    {
        Assert.Throws<ArgumentException>(() => Landscape.Compute([], -1, 1, 10));
        Assert.Throws<ArgumentException>(() => Landscape.Compute([new LabelledPoint(1, 2)], -1, 1, 10));
        Assert.Throws<ArgumentException>(() => Landscape.Compute(SeedSamples, 1, -1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Landscape.Compute(SeedSamples, -1, 1, 1));
    }
}
