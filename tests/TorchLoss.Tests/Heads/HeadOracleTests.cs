using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Heads;

/// <summary>The heads against TorchSharp's own losses, and the catalog a user can extend.</summary>
[Collection(SerialCollection.Name)]
public sealed class HeadOracleTests
{
    static (Tensor Logits, Tensor Labels) Batch(int classes = 5, int batch = 7)
    {
        TorchRuntime.ManualSeed(3);
        return (torch.randn([batch, classes], ScalarType.Float64) * 3, torch.randint(0, classes, [batch]));
    }

    [Fact]
    public void SoftmaxCrossEntropyEqualsTorchSharpsCrossEntropy()
    {
        using var scope = torch.NewDisposeScope();
        var (z, y) = Batch();
        using var head = HeadCatalog.Create("softmax-ce");
        Assert.Equal(nn.functional.cross_entropy(z, y).ToDouble(), head.forward(z, y).ToDouble(), 12);
    }

    [Fact]
    public void SoftmaxSquaredErrorWithTheMeanConventionEqualsMseLossOfSoftmaxAgainstOneHot()
    {
        using var scope = torch.NewDisposeScope();
        var (z, y) = Batch();
        using var head = HeadCatalog.Create("softmax-mse", new HeadOptions(SquaredErrorReduction.MeanOverClasses));
        var oneHot = nn.functional.one_hot(y, 5).to_type(ScalarType.Float64);
        Assert.Equal(nn.functional.mse_loss(z.softmax(1), oneHot).ToDouble(), head.forward(z, y).ToDouble(), 12);
        using var halfSum = HeadCatalog.Create("softmax-mse");
        Assert.Equal(5 / 2.0 * nn.functional.mse_loss(z.softmax(1), oneHot).ToDouble(), halfSum.forward(z, y).ToDouble(), 12);
    }

    [Fact]
    public void SigmoidBceEqualsBceWithLogitsSummedOverClassesAveragedOverTheBatch()
    {
        using var scope = torch.NewDisposeScope();
        var (z, y) = Batch();
        using var head = HeadCatalog.Create("sigmoid-bce");
        var oneHot = nn.functional.one_hot(y, 5).to_type(ScalarType.Float64);
        var expected = nn.functional.binary_cross_entropy_with_logits(z, oneHot, reduction: nn.Reduction.Sum).ToDouble() / 7;
        Assert.Equal(expected, head.forward(z, y).ToDouble(), 12);
    }

    /// <summary>The training loss a head may compute through a fused built-in (softmax-ce, sigmoid-bce) has the value and the
    /// gradient of its own per-example loss's batch mean, at z = 0 too; the other heads use that mean as it is.</summary>
    [Theory]
    [MemberData(nameof(EveryHead))]
    public void TheTrainingLossEqualsTheMeanOfTheExampleLossWithItsGradient(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var head = HeadCatalog.Create(name);
        var (z, y) = Batch();
        z[0] = torch.zeros(5, ScalarType.Float64);
        var targets = OutputHead.Targets(y, 5, ScalarType.Float64);
        var a = z.clone().requires_grad_();
        var b = z.clone().requires_grad_();
        var fused = head.TrainingLoss(a, y);
        var mean = head.MeanLoss(b, targets);
        Assert.Equal(mean.ToDouble(), fused.ToDouble(), 12);
        fused.backward();
        mean.backward();
        Assert.True(a.grad!.allclose(b.grad!, rtol: 1e-12, atol: 1e-15), $"{name}: gradients differ");
    }

    public static TheoryData<string> EveryHead() => new(HeadCatalog.Names);

    [Fact]
    public void TheReductionFollowsTorchSharpsConvention()
    {
        using var scope = torch.NewDisposeScope();
        var (z, y) = Batch();
        using var mean = new SoftmaxCrossEntropyHead();
        using var sum = new SoftmaxCrossEntropyHead(nn.Reduction.Sum);
        using var none = new SoftmaxCrossEntropyHead(nn.Reduction.None);
        Assert.Equal(mean.forward(z, y).ToDouble() * 7, sum.forward(z, y).ToDouble(), 12);
        Assert.Equal([7L], none.forward(z, y).shape);
        Assert.Throws<ArgumentException>(() => mean.forward(z, y.to_type(ScalarType.Int32)));
        Assert.Throws<ArgumentException>(() => mean.forward(z, y[..3]));
    }

    [Fact]
    public void AHeadCanBeUsedAsALossInAPlainTorchSharpLoop()
    {
        using var scope = torch.NewDisposeScope();
        TorchRuntime.ManualSeed(1);
        var x = torch.randn([32, 4]);
        var y = (x[.., 0] > 0).to_type(ScalarType.Int64);
        using var model = nn.Sequential(("layer1", nn.Linear(4, 2)));
        using var head = HeadCatalog.Create("softmax-mse");
        using var optimizer = optim.SGD(model.parameters(), 1.0);
        var first = 0.0;
        for (var step = 0; step < 50; step++)
        {
            using var inner = torch.NewDisposeScope();
            var loss = head.forward(model.forward(x), y);
            if (step == 0) first = loss.ToDouble();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        using var final = head.forward(model.forward(x), y);
        Assert.True(final.ToDouble() < first / 2, $"loss {first} -> {final.ToDouble()}");
    }

    sealed class HingeLikeHead() : OutputHead
    {
        public override string Name => "test-squared-hinge";
        public override string Description => "squared hinge on logits (a user's head)";
        public override Tensor Activate(Tensor logits) => logits.softmax(1);
        public override Tensor ExampleLoss(Tensor logits, Tensor targets) => (1 - (2 * targets - 1) * logits).relu().square().sum(1);
        public override Tensor LogitGradient(Tensor logits, Tensor targets)
        {
            var sign = 2 * targets - 1;
            return -2 * sign * (1 - sign * logits).relu();
        }
    }

    [Fact]
    public void AUsersHeadRegisteredFromOutsideIsCreatedByNameAndTrainsThroughEveryAutogradEngine()
    {
        HeadCatalog.Register(_ => new HingeLikeHead());
        try
        {
            Assert.Contains("test-squared-hinge", HeadCatalog.Names);
            Assert.Contains("squared hinge", HeadCatalog.Help);
            Assert.Throws<ArgumentException>(() => HeadCatalog.Register(_ => new HingeLikeHead()));
            using var head = HeadCatalog.Create("TEST-squared-hinge");
            Assert.IsType<HingeLikeHead>(head);
            // Its closed form drives the closed-form engine, equal to autograd's gradient.
            using var scope = torch.NewDisposeScope();
            var (z, y) = Batch();
            var targets = OutputHead.Targets(y, 5, ScalarType.Float64);
            var leaf = z.detach().requires_grad_();
            ClosedFormLoss.Apply(head, leaf, targets).backward();
            var viaAutograd = SafeAutogradGrad(head, z, targets);
            Assert.True((leaf.grad! - viaAutograd).abs().max().ToDouble() < 1e-12);
        }
        finally
        {
            Assert.True(HeadCatalog.Unregister("test-squared-hinge"));
        }
        Assert.DoesNotContain("test-squared-hinge", HeadCatalog.Names);
        Assert.False(HeadCatalog.Unregister("softmax-ce"));
    }

    static Tensor SafeAutogradGrad(OutputHead head, Tensor z, Tensor targets)
    {
        var leaf = z.detach().requires_grad_();
        return TorchLoss.Gradients.SafeAutograd.Grad(head.MeanLoss(leaf, targets), leaf);
    }

    [Theory]
    [InlineData("softmax-ce")]
    [InlineData("softmax-mse")]
    [InlineData("sigmoid-mse")]
    [InlineData("sigmoid-bce")]
    [InlineData("logit-mse")]
    public void TheClosedFormLossHasAutogradsGradientForEveryHead(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var head = HeadCatalog.Create(name, new HeadOptions(TrueClassWeight: 2, TrueClassTarget: 3));
        var (z, y) = Batch();
        var targets = OutputHead.Targets(y, 5, ScalarType.Float64);
        var closed = z.detach().requires_grad_();
        var loss = ClosedFormLoss.Apply(head, closed, targets);
        loss.backward();
        Assert.Equal(head.MeanLoss(z, targets).ToDouble(), loss.ToDouble(), 14);
        var autograd = SafeAutogradGrad(head, z, targets);
        Assert.True((closed.grad! - autograd).abs().max().ToDouble() < 1e-12, $"{name}: closed form and autograd differ");
    }
}
