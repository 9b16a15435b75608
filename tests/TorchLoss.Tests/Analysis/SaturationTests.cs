using TorchLoss.Analysis;
using TorchLoss.Engines;
using TorchLoss.Heads;

namespace TorchLoss.Tests.Analysis;

public class SaturationTests
{
    static IReadOnlyList<SaturationCurve> Sweep(int classes = 10) =>
        SaturationSweep.Run(HeadCatalog.Names.Select(n => HeadCatalog.Create(n)).ToList(), classes, -30, 30, 121);

    [Fact]
    public void SquaredErrorThroughSoftmaxOrSigmoidVanishesAtBothEndsCrossEntropyOnlyWhenRight()
    {
        var curves = Sweep().ToDictionary(c => c.Head);
        Assert.True(curves["softmax-mse"].VanishesWhenWrong && curves["softmax-mse"].VanishesWhenRight);
        Assert.True(curves["sigmoid-mse"].VanishesWhenWrong && curves["sigmoid-mse"].VanishesWhenRight);
        Assert.True(!curves["softmax-ce"].VanishesWhenWrong && curves["softmax-ce"].VanishesWhenRight);
        Assert.True(!curves["sigmoid-bce"].VanishesWhenWrong && curves["sigmoid-bce"].VanishesWhenRight);
        Assert.True(!curves["logit-mse"].VanishesWhenWrong && !curves["logit-mse"].VanishesWhenRight);
    }

    [Fact]
    public void GradientNormsWorkedByHand()
    {
        var curves = Sweep(classes: 4).ToDictionary(c => c.Head);
        SaturationPoint At(string head, double margin) => curves[head].Points.Single(p => p.Margin == margin);
        // softmax-ce at m = 0: p = 1/C each, |p - y| = sqrt((1 - 1/C)^2 + (C - 1)/C^2) = sqrt((C - 1)/C).
        Assert.Equal(Math.Sqrt(3.0 / 4), At("softmax-ce", 0).GradientNorm, 14);
        Assert.Equal(4, curves["softmax-ce"].Outputs);
        // sigmoid-bce with one unit and label 1: |s(m) - 1|; sigmoid-mse: |(s - 1) s (1 - s)|; logit-mse: |m - 1|.
        var s = 1 / (1 + Math.Exp(2.0));
        Assert.Equal(1 - s, At("sigmoid-bce", -2).GradientNorm, 14);
        Assert.Equal((1 - s) * s * (1 - s), At("sigmoid-mse", -2).GradientNorm, 14);
        Assert.Equal(3, At("logit-mse", -2).GradientNorm, 14);
        Assert.Equal(1, curves["sigmoid-mse"].Outputs);
        // CE when confidently wrong: p ~ (0, 1/(C-1), ...) so |p - y| -> sqrt(1 + 1/(C-1)).
        Assert.Equal(Math.Sqrt(1 + 1.0 / 3), At("softmax-ce", -30).GradientNorm, 10);
    }
}
