using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Torch;

public class AutogradTests
{
    static Tensor Leaf(params double[] values) => torch.tensor(values).requires_grad_();

    [Fact]
    public void BackwardOfAScalarMatchesTheDerivativeWorkedByHand()
    {
        using var scope = torch.NewDisposeScope();
        // f(x) = sum(x^3 + 2x) => df/dx = 3x^2 + 2
        var x = Leaf(1, -2, 0.5);
        (x.pow(3) + 2 * x).Sum().backward();
        TensorAssert.Close([5, 14, 2.75], x.grad!, 1e-12);
    }

    [Fact]
    public void GradientsAccumulateUntilCleared()
    {
        using var scope = torch.NewDisposeScope();
        var x = Leaf(3);
        (x * x).Sum().backward();
        (x * x).Sum().backward();
        TensorAssert.Close([12], x.grad!);
        x.ClearGrad();
        Assert.Null(x.grad);
    }

    [Fact]
    public void BackwardWithAnExplicitGradientComputesAVectorJacobianProduct()
    {
        using var scope = torch.NewDisposeScope();
        // y = sigmoid(x); vector-Jacobian product with v is v * s(1 - s)
        var x = Leaf(0, 2);
        var y = x.sigmoid();
        y.backward(torch.tensor(new[] { 1.0, 10.0 }));
        var s = 1 / (1 + Math.Exp(-2));
        TensorAssert.Close([0.25, 10 * s * (1 - s)], x.grad!, 1e-12);
    }

    [Fact]
    public void RetainGradKeepsTheGradientOfAnIntermediateTensor()
    {
        using var scope = torch.NewDisposeScope();
        // L = 1/2 * sum (softmax(z) - y)^2 is not needed here; CE: L = -log softmax(z)_0 => dL/dz = p - y
        var w = Leaf(0.5, -1, 2);
        var z = (w * 2).retain_grad();
        var loss = -z.log_softmax(0)[0];
        loss.backward();
        var p = z.detach().softmax(0).data<double>().ToArray();
        TensorAssert.Close([p[0] - 1, p[1], p[2]], z.grad!, 1e-12);
        Assert.False(z.IsLeaf);
        Assert.True(w.IsLeaf);
    }

    [Fact]
    public void NoGradScopeStopsRecordingAndRestoresTheMode()
    {
        using var scope = torch.NewDisposeScope();
        var x = Leaf(1);
        Assert.True(Autograd.IsGradEnabled);
        using (torch.no_grad())
        {
            Assert.False(Autograd.IsGradEnabled);
            Assert.False((x * 2).requires_grad);
            using (torch.enable_grad()) Assert.True((x * 2).requires_grad);
            Assert.False(Autograd.IsGradEnabled);
        }
        Assert.True(Autograd.IsGradEnabled);
        Assert.True((x * 2).requires_grad);
    }

    [Fact]
    public void DetachCutsTheGraph()
    {
        using var scope = torch.NewDisposeScope();
        var x = Leaf(2);
        var y = x * x;
        Assert.True(y.requires_grad);
        Assert.False(y.detach().requires_grad);
        var e = Assert.Throws<TorchException>(() => (y.detach() * 3).Sum().backward());
        Assert.Contains("does not require grad", e.Message);
    }

    [Fact]
    public void AutogradGradGivesFirstAndSecondDerivatives()
    {
        using var scope = torch.NewDisposeScope();
        // f(x) = x^3 => f' = 3x^2, f'' = 6x
        var x = Leaf(2, -1);
        var f = x.pow(3).Sum();
        var first = torch.autograd.grad(f, x, createGraph: true);
        TensorAssert.Close([12, 3], first, 1e-12);
        var second = torch.autograd.grad(first.Sum(), x);
        TensorAssert.Close([12, -6], second, 1e-12);
    }

    [Fact]
    public void SecondDerivativeOfTheLogisticCrossEntropyMatchesItsClosedForm()
    {
        using var scope = torch.NewDisposeScope();
        // L(w) = -[y log h + (1-y) log(1-h)], h = sigmoid(w x): L'' = h(1-h) x^2
        const double xValue = 1.5, yValue = 1;
        var w = Leaf(0.3);
        var h = (w * xValue).sigmoid();
        var loss = -(yValue * h.log() + (1 - yValue) * (1 - h).log()).Sum();
        var dw = torch.autograd.grad(loss, w, createGraph: true);
        var d2w = torch.autograd.grad(dw.Sum(), w);
        var hv = 1 / (1 + Math.Exp(-0.3 * xValue));
        TensorAssert.Close([(hv - yValue) * xValue], dw, 1e-12);
        TensorAssert.Close([hv * (1 - hv) * xValue * xValue], d2w, 1e-12);
    }

    [Fact]
    public void UnusedInputsAreNullOnlyWhenAllowed()
    {
        using var scope = torch.NewDisposeScope();
        var x = Leaf(1);
        var unused = Leaf(1);
        var y = (x * 3).Sum();
        var grads = torch.autograd.grad([y], [x, unused], retainGraph: true, allowUnused: true);
        TensorAssert.Close([3], grads[0]!);
        Assert.Null(grads[1]);
        Assert.Throws<TorchException>(() => torch.autograd.grad([y], [x, unused]));
    }
}

public class GradNormsTests
{
    [Fact]
    public void GradNormsAreEachParametersGradientNormAndZeroWithoutOne()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new[] { 1.0, 2.0 }).requires_grad_();
        var b = torch.tensor(new[] { 3.0 }).requires_grad_();
        var unused = torch.tensor(new[] { 5.0 }).requires_grad_();
        (a * a).Sum().Add(b * 4).Sum().backward();
        TensorAssert.Close([Math.Sqrt(4 + 16), 4, 0], GradientNorms.Of([a, b, unused]), 1e-12);
    }
}
