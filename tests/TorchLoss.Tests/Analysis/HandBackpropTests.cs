using TorchLoss.Gradients;
using TorchLoss.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Analysis;

/// <summary>Backprop by hand through a linear layer and a one-hidden-layer MLP against autograd, in float64, for an
/// arbitrary upstream gradient delta = dL/dz (so the check does not lean on any head).</summary>
public class HandBackpropTests
{
    [Fact]
    public void LinearLayerGradientsMatchAutograd()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([6, 5], ScalarType.Float64).requires_grad_();
        var w = torch.randn([3, 5], ScalarType.Float64).requires_grad_();
        var b = torch.randn([3], ScalarType.Float64).requires_grad_();
        var delta = torch.randn([6, 3], ScalarType.Float64);
        // L = sum(z * delta) has dL/dz = delta.
        var grads = SafeAutograd.Grad([(nn.functional.linear(x, w, b) * delta).sum()], [w, b, x]);
        AssertClose(grads[0]!, LinearLayerGradients.Weight(delta, x.detach()));
        AssertClose(grads[1]!, LinearLayerGradients.Bias(delta));
        AssertClose(grads[2]!, LinearLayerGradients.Input(delta, w.detach()));
    }

    [Theory]
    [InlineData(HiddenActivation.Sigmoid)]
    [InlineData(HiddenActivation.Tanh)]
    [InlineData(HiddenActivation.Relu)]
    public void OneHiddenLayerBackpropMatchesAutograd(HiddenActivation activation)
    {
        using var scope = torch.NewDisposeScope();
        var model = new OneHiddenLayerModel(7, activation);
        var x = torch.randn([4, 5], ScalarType.Float64) * 3;
        var variables = model.Initial(4, 5, 3).Select(v => v.requires_grad_()).ToList();
        var delta = torch.randn([4, 3], ScalarType.Float64);
        var autograd = SafeAutograd.Grad([(model.Logits(x, variables) * delta).sum()], variables);
        var byHand = model.Backward(x, variables.Select(v => v.detach()).ToList(), delta);
        Assert.Equal(model.VariableNames.Count, byHand.Count);
        for (var i = 0; i < byHand.Count; i++) AssertClose(autograd[i]!, byHand[i]);
    }

    [Fact]
    public void ScalingTheOutputLayerScalesTheLogits()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([3, 5], ScalarType.Float64);
        foreach (var model in new GradientModel[] { new DirectLogitsModel(), new LinearClassifierModel(), new OneHiddenLayerModel(4, HiddenActivation.Tanh) })
        {
            var variables = model.Initial(3, 5, 2);
            AssertClose(model.Logits(x, variables) * 7.5, model.Logits(x, model.ScaleLogits(variables, 7.5)));
        }
    }

    [Fact]
    public void CentralDifferencesRecoverAKnownGradient()
    {
        using var scope = torch.NewDisposeScope();
        var v = torch.tensor(new[] { -3.0, -0.5, 0, 0.25, 2, 4 }, [2, 3]);
        var other = torch.tensor(new[] { 2.0 });
        // f = sum(c * v^3) with c = 2 held fixed: df/dv = 6 v^2.
        var estimate = FiniteDifferences.Gradient(args => (args[1] * args[0].pow(3)).sum().ToDouble(), [v, other], 0);
        var exact = v.square() * 6;
        // f is about 90, so rounding alone allows eps |f| / h ~ 2e-8.
        Assert.True(GradientError.Between(estimate, exact, 1).MaxAbsolute < 1e-7, estimate.ToString());
        Assert.Equal(v.shape, estimate.shape);
    }

    /// <summary>Equal up to rounding: sums that cancel make element-wise relative errors meaningless, so errors are
    /// measured against the largest element.</summary>
    static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = Math.Max(1, expected.abs().max().ToDouble());
        var error = GradientError.Between(actual, expected, scale);
        Assert.True(error.MaxRelative < 1e-13, $"error {error.MaxAbsolute} relative to the largest element {scale}");
    }
}
