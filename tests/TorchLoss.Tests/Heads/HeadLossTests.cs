using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Tests.Torch;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Heads;

/// <summary>Loss values worked by hand for target (1, 0, 0) and prediction (0.8, 0.1, 0.1): the logits are
/// chosen so the head's activation produces exactly that prediction.</summary>
public class HeadLossTests
{
    static readonly double[] Prediction = [0.8, 0.1, 0.1];

    static double Loss(OutputHead head, double[] logits, double[] target)
    {
        using var scope = torch.NewDisposeScope();
        return head.MeanLoss(torch.tensor(logits, [1, logits.Length]), torch.tensor(target, [1, target.Length])).ToDouble();
    }

    static double[] SoftmaxLogits => Prediction.Select(p => Math.Log(p)).ToArray();
    static double[] SigmoidLogits => Prediction.Select(a => Math.Log(a / (1 - a))).ToArray();

    [Fact]
    public void CrossEntropyIsMinusLogOfTheTrueClassProbability() =>
        TensorAssert.Close(-Math.Log(0.8), Loss(new SoftmaxCrossEntropyHead(), SoftmaxLogits, [1, 0, 0]), 1e-12);

    [Fact]
    public void SoftmaxSquaredErrorFollowsTheHalfSumConventionByDefault()
    {
        // 1/2 * (0.2^2 + 0.1^2 + 0.1^2) = 0.03; mean over classes: 0.06 / 3 = 0.02
        TensorAssert.Close(0.03, Loss(new SoftmaxSquaredErrorHead(), SoftmaxLogits, [1, 0, 0]), 1e-12);
        TensorAssert.Close(0.02, Loss(new SoftmaxSquaredErrorHead(SquaredErrorReduction.MeanOverClasses), SoftmaxLogits, [1, 0, 0]), 1e-12);
    }

    [Fact]
    public void SigmoidSquaredError() =>
        TensorAssert.Close(0.03, Loss(new SigmoidSquaredErrorHead(), SigmoidLogits, [1, 0, 0]), 1e-12);

    [Fact]
    public void SigmoidBinaryCrossEntropySumsOverTheLogisticUnits() =>
        TensorAssert.Close(-Math.Log(0.8) - 2 * Math.Log(0.9), Loss(new SigmoidBinaryCrossEntropyHead(), SigmoidLogits, [1, 0, 0]), 1e-12);

    [Fact]
    public void LogitSquareLossWithAndWithoutTrueClassRescaling()
    {
        double[] z = [2, -1, 0.5];
        // 1/2 * ((2-1)^2 + 1 + 0.25) = 1.125; with k = 2, M = 3: 1/2 * (2 * (2-3)^2 + 1 + 0.25) = 1.625
        TensorAssert.Close(1.125, Loss(new LogitSquaredErrorHead(), z, [1, 0, 0]), 1e-12);
        TensorAssert.Close(1.625, Loss(new LogitSquaredErrorHead(trueClassWeight: 2, trueClassTarget: 3), z, [1, 0, 0]), 1e-12);
    }

    [Fact]
    public void TheLossIsTheMeanOverTheBatch()
    {
        using var scope = torch.NewDisposeScope();
        var head = new SoftmaxCrossEntropyHead();
        var z = torch.tensor(new[] { 0.0, 0, Math.Log(3), 0 }, [2, 2]);
        var y = torch.tensor(new[] { 1.0, 0, 1, 0 }, [2, 2]);
        TensorAssert.Close((Math.Log(2) + Math.Log(4.0 / 3)) / 2, head.MeanLoss(z, y).ToDouble(), 1e-12);
    }

    [Fact]
    public void CrossEntropyStaysFiniteForHugeLogits()
    {
        var loss = Loss(new SoftmaxCrossEntropyHead(), [1000, 0, -1000], [0, 1, 0]);
        TensorAssert.Close(1000, loss, 1e-9);
        Assert.True(double.IsFinite(Loss(new SigmoidBinaryCrossEntropyHead(), [800, -800], [0, 1])));
    }

    [Fact]
    public void TargetsArgOneHotRowsOrTheLabelForOneOutput()
    {
        using var scope = torch.NewDisposeScope();
        var head = new SigmoidBinaryCrossEntropyHead();
        var labels = torch.tensor(new[] { 2L, 0L });
        Assert.Equal([0.0, 0, 1, 1, 0, 0], OutputHead.Targets(labels, 3, ScalarType.Float64).reshape(-1).data<double>().ToArray());
        var binary = torch.tensor(new[] { 1L, 0L });
        TensorAssert.Shape([2, 1], OutputHead.Targets(binary, 1, ScalarType.Float32));
        Assert.Equal([1L, 0L], head.Predict(torch.tensor(new[] { 0.3f, -2f }, [2, 1])).data<long>().ToArray());
        Assert.Equal([1L, 0L], head.Predict(torch.tensor(new[] { 0f, 1f, 5f, 2f }, [2, 2])).data<long>().ToArray());
    }

    [Fact]
    public void RegistryCreatesEveryHeadByNameAndRejectsOthers()
    {
        foreach (var name in HeadCatalog.Names) Assert.Equal(name, HeadCatalog.Create(name).Name);
        Assert.Equal(["softmax-ce", "softmax-mse", "sigmoid-mse", "sigmoid-bce", "logit-mse"], HeadCatalog.Names);
        var e = Assert.Throws<FormatException>(() => HeadCatalog.Create("hinge"));
        Assert.Contains("unknown head 'hinge'", e.Message);
        Assert.Contains("softmax-ce", e.Message);
        var reduced = (SoftmaxSquaredErrorHead)HeadCatalog.Create("softmax-mse", new HeadOptions(SquaredErrorReduction.MeanOverClasses));
        Assert.Equal(SquaredErrorReduction.MeanOverClasses, reduced.Reduction);
    }

    [Fact]
    public void EveryHeadTheLibraryShipsIsRegisteredUnderItsNameConstantWithAFusedForm()
    {
        var shipped = typeof(OutputHead).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(OutputHead)) && !t.IsAbstract).ToList();
        Assert.NotEmpty(shipped);
        foreach (var type in shipped)
        {
            var name = (string)type.GetField("HeadName")!.GetRawConstantValue()!;
            using var head = HeadCatalog.Create(name);
            Assert.IsType(type, head);
            Assert.Equal(name, head.Name);
            Assert.NotNull(FusedStep.FormOf(head, 4));
        }
        // The shipped heads come first, whatever a test registers of its own meanwhile.
        Assert.Equal(shipped.Select(t => (string)t.GetField("HeadName")!.GetRawConstantValue()!).Order(), HeadCatalog.Names.Take(shipped.Count).Order());
    }
}

public class LogitSquaredErrorBinaryTests
{
    [Fact]
    public void WithOneOutputTheBoundaryIsHalfTheTarget()
    {
        using var scope = torch.NewDisposeScope();
        var head = new LogitSquaredErrorHead(trueClassTarget: 4);
        var z = torch.tensor(new[] { 1.5, 2.5, -1, 6 }, [4, 1]);
        Assert.Equal([0L, 1, 0, 1], head.Predict(z).data<long>().ToArray());
        TensorAssert.Close([0.375, 0.625, 0, 1], head.Probabilities(z));
    }
}
