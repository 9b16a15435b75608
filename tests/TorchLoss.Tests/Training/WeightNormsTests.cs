using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Training;

[Collection(SerialCollection.Name)]
public class WeightNormsTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("torchloss-weight-norms-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void NormsOfALayerWorkedByHand()
    {
        using var scope = torch.NewDisposeScope();
        var layer = nn.Linear(2, 3);
        using (torch.no_grad())
        {
            layer.weight!.copy_(torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]));
            layer.bias!.copy_(torch.tensor(new float[] { 1, 1, 1 }));
        }
        var model = nn.Sequential(("layer1", layer));

        var norms = WeightNorms.Measure(model);

        // All parameters: 1 + 4 + 9 + 16 + 25 + 36 + 3 = 94. Rows [w | b]: (1, 2, 1), (3, 4, 1), (5, 6, 1), their mean
        // (3, 4, 1) of squared norm 26, times C = 3.
        Assert.Equal(Math.Sqrt(94), norms.Parameters, 12);
        Assert.Equal(Math.Sqrt(78), norms.SharedOutput, 12);
    }

    [Fact]
    public void AModelWithOneOutputHasNoSharedPart()
    {
        using var scope = torch.NewDisposeScope();
        var norms = WeightNorms.Measure(nn.Sequential(("layer1", nn.Linear(4, 1))));
        Assert.True(double.IsFinite(norms.Parameters));
        Assert.True(double.IsNaN(norms.SharedOutput));
    }

    [Theory]
    [InlineData("fused", "softmax-ce")]
    [InlineData("autograd", "softmax-ce")]
    [InlineData("fused", "softmax-mse")]
    [InlineData("autograd", "softmax-mse")]
    public void ASoftmaxHeadLeavesTheSharedPartWhereItStartedUnlessDecayShrinksIt(string engine, string head)
    {
        var (initial, last, steps) = Train(engine, head, weightDecay: 0);
        Assert.True(Math.Abs(last.Parameters / initial.Parameters - 1) > 0.05, $"the weights should move: ‖θ‖ {initial.Parameters} → {last.Parameters}");
        Assert.Equal(1, last.SharedOutput / initial.SharedOutput, 4);

        const double lr = 0.5, decay = 0.01;
        var (decayedInitial, decayed, decayedSteps) = Train(engine, head, weightDecay: decay);
        Assert.Equal(steps, decayedSteps);
        // Plain SGD with decay d: every step multiplies the part the loss cannot move by (1 - lr d).
        Assert.Equal(Math.Pow(1 - lr * decay, steps), decayed.SharedOutput / decayedInitial.SharedOutput, 4);
    }

    [Fact]
    public void ASigmoidHeadMovesTheSharedPart()
    {
        var (initial, last, _) = Train("autograd", "sigmoid-mse", weightDecay: 0);
        Assert.True(Math.Abs(last.SharedOutput / initial.SharedOutput - 1) > 0.05, $"shared part {initial.SharedOutput} → {last.SharedOutput}");
    }

    (WeightNorms Initial, WeightNorms Last, long Steps) Train(string engine, string head, double weightDecay)
    {
        using var data = SyntheticImages.Data();
        var folder = new RunFolder(Path.Combine(root, $"{engine}-{head}-{weightDecay}"));
        var summary = new Trainer(new TrainConfig
        {
            Dataset = "synthetic", Head = head, Model = "linear", Engine = engine, LearningRate = 0.5, Momentum = 0,
            WeightDecay = weightDecay, BatchSize = 20, Epochs = 3, LogEvery = 5, Seed = 3,
        }, data, folder).Run();
        Assert.Equal(RunStatus.Completed, summary.Status);
        var epochs = MetricsLog.Read(folder.Path).Where(r => r.Kind == MetricRecord.EpochKind).ToList();
        WeightNorms At(MetricRecord r) => new(r["parameter_norm"], r["shared_output_norm"]);
        Assert.Equal(0, epochs[0].Epoch);
        return (At(epochs[0]), At(epochs[^1]), summary.Steps);
    }
}
