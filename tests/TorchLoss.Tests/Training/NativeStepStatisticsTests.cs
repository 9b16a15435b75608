using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Fused;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Training;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchLoss.Tests.Training.FusedFixtures;

namespace TorchLoss.Tests.Training;

/// <summary>On the CPU, autograd's step statistics are read from the step's tensors in one native call. They must equal
/// the device path's (every statistic a tensor op, as on a GPU), for every head, one-output tasks, saturated models, a
/// user's own head (whose probabilities and predictions come from its methods) and float32.</summary>
public class NativeStepStatisticsTests
{
    public static TheoryData<string, SquaredErrorReduction, string, double> Cases()
    {
        var data = new TheoryData<string, SquaredErrorReduction, string, double>();
        foreach (var (head, reduction) in FusedStepTests.Heads())
            foreach (var scale in new[] { 1.0, 12.0 })
            {
                data.Add(head, reduction, "6-3-4", scale);
                if (HeadCatalog.Create(head).MinOutputs == 1) data.Add(head, reduction, "6-3-1", scale);
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NativeStatisticsEqualTheDevicePath(string headName, SquaredErrorReduction reduction, string widthsText, double weightScale)
    {
        var head = HeadCatalog.Create(headName, new HeadOptions(reduction, TrueClassWeight: 3, TrueClassTarget: 2));
        var (native, device) = BothWays(head, widthsText, ScalarType.Float64, weightScale);
        var what = $"{headName} ({reduction}), {widthsText}, weights x{weightScale}";
        AssertSameParameters(device.Parameters, native.Parameters, 0, what);
        AssertSameStatistics(device.Statistics, native.Statistics, 1e-12, what);
        if (weightScale > 1) Assert.True(native.Statistics.SaturatedFraction > 0, $"{what}: nothing saturated");
    }

    [Fact]
    public void AUsersHeadIsReadThroughItsOwnProbabilitiesAndPredictions()
    {
        var head = new ShiftedSigmoidHead();
        Assert.Null(FusedStep.FormOf(head, 4));
        var (native, device) = BothWays(head, "6-3-4", ScalarType.Float64, 12);
        AssertSameStatistics(device.Statistics, native.Statistics, 1e-12, head.Name);
        Assert.True(native.Statistics.WrongSaturatedFraction > 0);
    }

    [Fact]
    public void Float32AgreesToItsPrecision()
    {
        var (native, device) = BothWays(HeadCatalog.Create("sigmoid-mse"), "6-3-4", ScalarType.Float32, 12);
        AssertSameStatistics(device.Statistics, native.Statistics, 1e-5, "float32");
    }

    /// <summary>The native sum of squares runs in blocks of 512 floats or 256 doubles, with a tail: lengths around and
    /// past the block, and the MLP's largest layer, must give the norm as float64 arithmetic does.</summary>
    [Theory]
    [InlineData(ScalarType.Float32, 2e-6)]
    [InlineData(ScalarType.Float64, 1e-13)]
    public void GradientNormsHoldAcrossTheBlockLength(ScalarType dtype, double relativeTolerance)
    {
        using var scope = torch.NewDisposeScope();
        long[] lengths = [1, 7, 255, 256, 257, 511, 512, 513, 5000, 784 * 256];
        torch.manual_seed(3);
        var gradients = lengths.Select(n => torch.randn(n, dtype) * 1e-3).ToList();
        var output = new double[FusedMlp.Fixed + lengths.Length];
        NativeStepStatistics.Compute(new FusedHead(FusedLoss.SoftmaxCrossEntropy), torch.zeros(1, 2, dtype), torch.zeros(1, 2, dtype),
            torch.tensor(new long[] { 0 }), gradients.Cast<Tensor?>().ToList(), output);
        for (var i = 0; i < lengths.Length; i++)
        {
            var expected = gradients[i].to_type(ScalarType.Float64).norm().ToDouble();
            var actual = output[FusedMlp.Fixed + i];
            Assert.True(Math.Abs(actual - expected) <= relativeTolerance * expected, $"{dtype}, {lengths[i]} values: {actual:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void OnlyCpuFloatTensorsAreReadNatively()
    {
        Assert.True(NativeStepStatistics.Supports(CPU, ScalarType.Float32));
        Assert.True(NativeStepStatistics.Supports(CPU, ScalarType.Float64));
        Assert.False(NativeStepStatistics.Supports(CPU, ScalarType.Float16));
        Assert.False(NativeStepStatistics.Supports(new Device(DeviceType.CUDA, 0), ScalarType.Float32));
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRefusedWithoutReadingPastTheRow()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.zeros(2, 3, ScalarType.Float64);
        var e = Assert.Throws<InvalidOperationException>(() => NativeStepStatistics.Compute(new FusedHead(FusedLoss.SoftmaxCrossEntropy), logits,
            torch.zeros(2, 3, ScalarType.Float64), torch.tensor(new long[] { 0, 3 }), [], new double[FusedMlp.Fixed]));
        Assert.Contains("label 3 is outside [0, 3)", e.Message);
    }

    static (TrainedState Native, TrainedState Device) BothWays(OutputHead head, string widthsText, ScalarType dtype, double weightScale)
    {
        var widths = Widths(widthsText);
        // Binary logit-mse predicts 1 above M/2 = 1: centre the logits there so that both predictions occur.
        var outputBias = widths[^1] == 1 && head is LogitSquaredErrorHead ? 1.0 : 0;
        Sequential Build() => Mlp(widths, HiddenActivation.Sigmoid, dtype, seed: 5, weightScale, outputBias);
        Batch BatchAt(int step) => MakeBatch(9 + step, widths[0], LabelLimit(widths[^1]), dtype, seed: 40 + step);
        var native = Train(TrainingEngine.Autograd, Build, head, SgdCase.All["momentum"], 0.3, BatchAt, 3, nativeStatistics: true);
        var device = Train(TrainingEngine.Autograd, Build, head, SgdCase.All["momentum"], 0.3, BatchAt, 3, nativeStatistics: false);
        return (native, device);
    }

    /// <summary>A head the fused step does not know: sigmoid outputs, squared error, the prediction rule shifted so that it
    /// differs from an argmax of the probabilities on some rows.</summary>
    sealed class ShiftedSigmoidHead : OutputHead
    {
        public override string Name => "shifted-sigmoid-test";
        public override string Description => "test head";
        public override Tensor Activate(Tensor logits) => logits.sigmoid();
        public override Tensor ExampleLoss(Tensor logits, Tensor targets) => (logits.sigmoid() - targets).square().sum(1);
        public override Tensor LogitGradient(Tensor logits, Tensor targets)
        {
            using var s = logits.sigmoid();
            return (s - targets) * s * (1 - s) * 2;
        }
        public override Tensor Predict(Tensor logits)
        {
            using var shifted = logits + torch.arange(logits.size(1), logits.dtype) * 0.5;
            return shifted.argmax(1);
        }
    }
}
