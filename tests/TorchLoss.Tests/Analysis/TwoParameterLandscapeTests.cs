using TorchLoss.Analysis;
using TorchLoss.Gradients;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Analysis;

public class TwoParameterLandscapeTests
{
    static readonly LabelledPoint[] SeedSamples = [new(2, 1), new(1, 1), new(0.5, 0)];

    /// <summary>The Hessian of the head's own loss by double backward, in (w, b) at one point.</summary>
    static (double Ww, double Wb, double Bb) Autograd(OutputHead head, double wValue, double bValue)
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.tensor(wValue).requires_grad_();
        var b = torch.tensor(bValue).requires_grad_();
        var x = torch.tensor(SeedSamples.Select(s => s.X).ToArray(), [1, SeedSamples.Length]);
        var y = torch.tensor(SeedSamples.Select(s => s.Y).ToArray(), [1, SeedSamples.Length]);
        var loss = head.ExampleLoss(w * x + b, y).sum();
        var g = SafeAutograd.Grad([loss], [w, b], createGraph: true);
        var row = SafeAutograd.Grad([g[0]], [w, b], retainGraph: true);
        var bb = SafeAutograd.Grad(g[1], b);
        return (row[0].ToDouble(), row[1].ToDouble(), bb.ToDouble());
    }

    [Fact]
    public void ClosedFormHessiansMatchDoubleBackward()
    {
        var landscape = TwoParameterLandscape.Compute(SeedSamples, (-6, 6), (-4, 4), 7);
        Assert.Equal(49, landscape.Rows.Count);
        foreach (var r in landscape.Rows)
        {
            foreach (var (head, closed) in new (OutputHead, Hessian2)[]
                     {
                         (new SigmoidBinaryCrossEntropyHead(), r.CrossEntropy),
                         (new SigmoidSquaredErrorHead(SquaredErrorReduction.HalfSum), r.SquaredError),
                     })
            {
                var (ww, wb, bb) = Autograd(head, r.W, r.B);
                Assert.True(Math.Abs(closed.Ww - ww) < 1e-12 && Math.Abs(closed.Wb - wb) < 1e-12 && Math.Abs(closed.Bb - bb) < 1e-12,
                    $"{head.Name} at ({r.W}, {r.B}): closed form {closed}, autograd ({ww}, {wb}, {bb})");
            }
        }
    }

    [Fact]
    public void CrossEntropyStaysPositiveSemidefiniteAndSquaredErrorDoesNot()
    {
        var landscape = TwoParameterLandscape.Compute(SeedSamples, (-15, 15), (-6, 6), 61);
        Assert.True(landscape.CrossEntropy.PositiveSemidefinite);
        Assert.True(landscape.CrossEntropy.MinEigenvalue >= 0);
        Assert.False(landscape.SquaredError.PositiveSemidefinite);
        Assert.True(landscape.SquaredError.MinEigenvalue < -0.1, $"{landscape.SquaredError}");
        // At b = 0 the (w, w) entry is the one-weight curvature.
        var oneWeight = Landscape.Compute(SeedSamples, -15, 15, 61);
        foreach (var (row, one) in landscape.Rows.Where(r => r.B == 0).Zip(oneWeight.Rows))
        {
            Assert.Equal(one.W, row.W, 12);
            Assert.Equal(one.SquaredErrorCurvature, row.SquaredError.Ww, 12);
            Assert.Equal(one.CrossEntropyCurvature, row.CrossEntropy.Ww, 12);
        }
    }

    [Fact]
    public void OneSamplesCrossEntropyHessianIsSingularYetCountsAsSemidefinite()
    {
        // One sample gives h(1-h) phi phi^T, of rank 1: the smallest eigenvalue is 0 up to rounding.
        var landscape = TwoParameterLandscape.Compute([new LabelledPoint(1.7, 1)], (-5, 5), (-5, 5), 21);
        Assert.True(landscape.CrossEntropy.PositiveSemidefinite);
        Assert.True(Math.Abs(landscape.CrossEntropy.MinEigenvalue) < 1e-15);
        Assert.Equal(-1, new Hessian2(1, 0, -1).SmallestEigenvalue);
        Assert.False(new Hessian2(1, 0, -1e-9).IsPositiveSemidefinite);
    }
}
