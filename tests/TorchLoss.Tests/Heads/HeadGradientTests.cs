using TorchLoss.Heads;
using TorchSharp;
using TorchLoss.Gradients;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Heads;

/// <summary>Each head's hand-derived dL/dz against autograd, in float64, on ordinary and saturated logits.</summary>
public class HeadGradientTests
{
    public static TheoryData<string, SquaredErrorReduction> AllHeads()
    {
        var data = new TheoryData<string, SquaredErrorReduction>();
        foreach (var name in HeadCatalog.Names)
        {
            data.Add(name, SquaredErrorReduction.HalfSum);
            data.Add(name, SquaredErrorReduction.MeanOverClasses);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllHeads))]
    public void ClosedFormMatchesAutograd(string name, SquaredErrorReduction reduction)
    {
        var head = HeadCatalog.Create(name, new HeadOptions(reduction, TrueClassWeight: 3, TrueClassTarget: 2));
        foreach (var scale in new[] { 1.0, 30.0 })
        {
            using var scope = torch.NewDisposeScope();
            var z = (torch.randn([7, 5], ScalarType.Float64) * scale).detach().requires_grad_();
            var y = OutputHead.Targets(torch.randint(0, 5, [7]), 5, ScalarType.Float64);
            // The per-example loss summed gives each example's own gradient (no 1/B).
            var autograd = SafeAutograd.Grad(head.ExampleLoss(z, y).sum(), z);
            var closed = head.LogitGradient(z.detach(), y);
            var error = (closed - autograd).abs().max().ToDouble();
            var size = autograd.abs().max().ToDouble();
            Assert.True(error <= 1e-12 * Math.Max(1, size), $"{name} at logit scale {scale}: max error {error}");
        }
    }

    [Theory]
    [MemberData(nameof(AllHeads))]
    public void AutogradMatchesTheClosedFormAtExactlyZeroLogits(string name, SquaredErrorReduction reduction)
    {
        // Kinks of max(z, 0) and |z| sit at 0, where autograd picks one one-sided derivative: a zero init hits them.
        var head = HeadCatalog.Create(name, new HeadOptions(reduction));
        using var scope = torch.NewDisposeScope();
        var z = torch.zeros([3, 4], ScalarType.Float64).requires_grad_();
        var y = OutputHead.Targets(torch.tensor(new long[] { 0, 2, 3 }), 4, ScalarType.Float64);
        var autograd = SafeAutograd.Grad(head.ExampleLoss(z, y).sum(), z, createGraph: true);
        var error = (head.LogitGradient(z.detach(), y) - autograd).abs().max().ToDouble();
        Assert.True(error <= 1e-15, $"{name} at z = 0: max error {error}");
    }

    [Fact]
    public void BinaryCrossEntropysSecondDerivativeAtZeroIsAQuarter()
    {
        using var scope = torch.NewDisposeScope();
        var z = torch.zeros([1, 1], ScalarType.Float64).requires_grad_();
        var y = torch.ones([1, 1], ScalarType.Float64);
        var slope = SafeAutograd.Grad(new SigmoidBinaryCrossEntropyHead().ExampleLoss(z, y).sum(), z, createGraph: true);
        Assert.Equal(-0.5, slope.ToDouble(), 15);
        Assert.Equal(0.25, SafeAutograd.Grad(slope.sum(), z).ToDouble(), 15);
    }

    [Fact]
    public void SquaredErrorGradientsVanishWhenTheOutputSaturatesButCrossEntropysDoNot()
    {
        using var scope = torch.NewDisposeScope();
        // Confidently wrong: the true class is 0 but class 1 has a logit 30 above the rest.
        var z = torch.tensor(new[] { 0.0, 30, 0 }, [1, 3]);
        var y = torch.tensor(new[] { 1.0, 0, 0 }, [1, 3]);
        var ce = new SoftmaxCrossEntropyHead().LogitGradient(z, y).norm().ToDouble();
        var softmaxMse = new SoftmaxSquaredErrorHead().LogitGradient(z, y).norm().ToDouble();
        var sigmoidMse = new SigmoidSquaredErrorHead().LogitGradient(torch.tensor(new[] { -30.0, 30, -30 }, [1, 3]), y).norm().ToDouble();
        Assert.True(ce > 1.4, $"CE gradient norm {ce}");
        Assert.True(softmaxMse < 1e-10, $"softmax-MSE gradient norm {softmaxMse}");
        Assert.True(sigmoidMse < 1e-10, $"sigmoid-MSE gradient norm {sigmoidMse}");
    }
}
