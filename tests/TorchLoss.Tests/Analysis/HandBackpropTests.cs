using TorchLoss.Gradients;
using TorchLoss.Models;
using TorchLoss.Torch;

namespace TorchLoss.Tests.Analysis;

/// <summary>Backprop by hand through a linear layer and a one-hidden-layer MLP against autograd, in float64, for an
/// arbitrary upstream gradient delta = dL/dz (so the check does not lean on any head).</summary>
public class HandBackpropTests
{
    [Fact]
    public void LinearLayerGradientsMatchAutograd()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Randn([6, 5], DType.Float64).RequiresGrad_();
        var w = Tensor.Randn([3, 5], DType.Float64).RequiresGrad_();
        var b = Tensor.Randn([3], DType.Float64).RequiresGrad_();
        var delta = Tensor.Randn([6, 3], DType.Float64);
        // L = sum(z * delta) has dL/dz = delta.
        var grads = Autograd.Grad([(Tensor.Linear(x, w, b) * delta).Sum()], [w, b, x]);
        AssertClose(grads[0]!, LinearLayerGradients.Weight(delta, x.Detach()));
        AssertClose(grads[1]!, LinearLayerGradients.Bias(delta));
        AssertClose(grads[2]!, LinearLayerGradients.Input(delta, w.Detach()));
    }

    [Theory]
    [InlineData(HiddenActivation.Sigmoid)]
    [InlineData(HiddenActivation.Tanh)]
    [InlineData(HiddenActivation.Relu)]
    public void OneHiddenLayerBackpropMatchesAutograd(HiddenActivation activation)
    {
        using var scope = DisposeScope.Enter();
        var model = new OneHiddenLayerModel(7, activation);
        var x = Tensor.Randn([4, 5], DType.Float64) * 3;
        var variables = model.Initial(4, 5, 3).Select(v => v.RequiresGrad_()).ToList();
        var delta = Tensor.Randn([4, 3], DType.Float64);
        var autograd = Autograd.Grad([(model.Logits(x, variables) * delta).Sum()], variables);
        var byHand = model.Backward(x, variables.Select(v => v.Detach()).ToList(), delta);
        Assert.Equal(model.VariableNames.Count, byHand.Count);
        for (var i = 0; i < byHand.Count; i++) AssertClose(autograd[i]!, byHand[i]);
    }

    [Fact]
    public void ScalingTheOutputLayerScalesTheLogits()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Randn([3, 5], DType.Float64);
        foreach (var model in new GradientModel[] { new DirectLogitsModel(), new LinearClassifierModel(), new OneHiddenLayerModel(4, HiddenActivation.Tanh) })
        {
            var variables = model.Initial(3, 5, 2);
            AssertClose(model.Logits(x, variables) * 7.5, model.Logits(x, model.ScaleLogits(variables, 7.5)));
        }
    }

    [Fact]
    public void CentralDifferencesRecoverAKnownGradient()
    {
        using var scope = DisposeScope.Enter();
        var v = Tensor.FromArray(new[] { -3.0, -0.5, 0, 0.25, 2, 4 }, [2, 3]);
        var other = Tensor.FromArray(new[] { 2.0 });
        // f = sum(c * v^3) with c = 2 held fixed: df/dv = 6 v^2.
        var estimate = FiniteDifferences.Gradient(args => (args[1] * args[0].Pow(3)).Sum().Item(), [v, other], 0);
        var exact = v.Square() * 6;
        // f is about 90, so rounding alone allows eps |f| / h ~ 2e-8.
        Assert.True(GradientError.Between(estimate, exact, 1).MaxAbsolute < 1e-7, estimate.ToString());
        Assert.Equal(v.Shape, estimate.Shape);
    }

    /// <summary>Equal up to rounding: sums that cancel make element-wise relative errors meaningless, so errors are
    /// measured against the largest element.</summary>
    static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var scale = Math.Max(1, expected.Abs().Max().Item());
        var error = GradientError.Between(actual, expected, scale);
        Assert.True(error.MaxRelative < 1e-13, $"error {error.MaxAbsolute} relative to the largest element {scale}");
    }
}
