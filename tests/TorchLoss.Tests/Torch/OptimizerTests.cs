using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Torch;

/// <summary>Each optimizer minimises L(p) = sum(c * p), whose gradient is the constant c, so every update
/// can be computed by hand.</summary>
public class OptimizerTests
{
    static readonly double[] C = [0.5, -1];

    static double[] Run(Func<Tensor, Optimizer> create, int steps)
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.tensor(new[] { 1.0, 2.0 }).requires_grad_();
        var c = torch.tensor(C);
        using var optimizer = create(p);
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            (p * c).Sum().backward();
            optimizer.step();
        }
        Assert.Equal(steps, optimizer.StepCount);
        return p.detach().data<double>().ToArray();
    }

    [Fact]
    public void PlainSgd() =>
        TensorAssert.Close([0.95, 2.1], torch.tensor(Run(p => new Sgd([p], 0.1), 1)), 1e-12);

    [Fact]
    public void SgdWithMomentum()
    {
        // buffer: c, then 0.9c + c = 1.9c; p -= 0.1 * buffer each step
        var result = Run(p => new Sgd([p], 0.1, momentum: 0.9), 2);
        TensorAssert.Close([1 - 0.1 * 0.5 - 0.19 * 0.5, 2 + 0.1 + 0.19], torch.tensor(result), 1e-12);
    }

    [Fact]
    public void SgdWithNesterovMomentum()
    {
        // step 1: buffer c, d = c + 0.9c = 1.9c; step 2: buffer 1.9c, d = c + 0.9 * 1.9c = 2.71c
        var result = Run(p => new Sgd([p], 0.1, momentum: 0.9, nesterov: true), 2);
        TensorAssert.Close([1 - 0.1 * 0.5 * (1.9 + 2.71), 2 + 0.1 * (1.9 + 2.71)], torch.tensor(result), 1e-12);
    }

    [Fact]
    public void SgdWithWeightDecay()
    {
        // d = c + 0.1 p = (0.6, -0.8)
        var result = Run(p => new Sgd([p], 0.1, weightDecay: 0.1), 1);
        TensorAssert.Close([0.94, 2.08], torch.tensor(result), 1e-12);
    }

    [Fact]
    public void AdamFollowsItsBiasCorrectedUpdate()
    {
        const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] p = [1, 2], m = [0, 0], v = [0, 0];
        for (var t = 1; t <= 3; t++)
            for (var i = 0; i < 2; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * C[i];
                v[i] = b2 * v[i] + (1 - b2) * C[i] * C[i];
                var mHat = m[i] / (1 - Math.Pow(b1, t));
                var vHat = v[i] / (1 - Math.Pow(b2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        var result = Run(q => new Adam([q], lr, b1, b2, eps), 3);
        TensorAssert.Close(p, torch.tensor(result), 1e-12);
    }

    [Fact]
    public void StateRoundTripsSoAResumedRunContinuesIdentically()
    {
        using var scope = torch.NewDisposeScope();
        var c = torch.tensor(C);
        var p = torch.tensor(new[] { 1.0, 2.0 }).requires_grad_();
        using var first = new Adam([p], 0.1);
        void StepWith(Optimizer o, Tensor q)
        {
            o.zero_grad();
            (q * c).Sum().backward();
            o.Step();
        }
        StepWith(first, p);
        var q = p.detach().clone().requires_grad_();
        using var resumed = new Adam([q], 0.1);
        resumed.LoadState(first.State().ToDictionary(s => s.Name, s => s.Value), first.StepCount);
        StepWith(first, p);
        StepWith(resumed, q);
        TensorAssert.Close(p.detach().data<double>().ToArray(), q, 0);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        using var p = torch.zeros([1]).requires_grad_();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], -1));
        Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], 0.1, beta1: 1));
        Assert.Throws<ArgumentException>(() => new Sgd([], 0.1));
    }
}
