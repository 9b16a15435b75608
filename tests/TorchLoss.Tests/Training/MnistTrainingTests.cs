using TorchLoss.Data;
using TorchLoss.Runs;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>Each head learns real MNIST: 3,000 training examples, a 784-64-10 sigmoid MLP, two or three epochs,
/// test accuracy well above chance (10%). Runs only when MNIST is in the default data directory.</summary>
[Collection(SerialCollection.Name)]
public class MnistTrainingTests : IDisposable
{
    readonly string runs = Directory.CreateTempSubdirectory("torchloss-mnist-").FullName;

    public void Dispose() => Directory.Delete(runs, recursive: true);

    [MnistPresentTheory]
    [InlineData("softmax-ce", 0.5, 0.9, 2)]
    [InlineData("softmax-mse", 0.5, 0.9, 2)]
    [InlineData("sigmoid-mse", 2.0, 0.0, 3)]
    [InlineData("sigmoid-bce", 0.1, 0.9, 2)]
    [InlineData("logit-mse", 0.1, 0.9, 2)]
    public void EveryHeadLearnsMnist(string head, double lr, double momentum, int epochs)
    {
        var config = new TrainConfig
        {
            Head = head, Model = "mlp:64", LearningRate = lr, Momentum = momentum, Epochs = epochs, BatchSize = 32,
            TrainLimit = 3000, ValidationSize = 1000, Seed = 1,
        };
        using var data = TrainingData.Load(config, DatasetStore.AtDefaultLocation());
        var summary = new Trainer(config, data, new RunFolder(Path.Combine(runs, head))).Run();
        Assert.True(summary.FinalTestError < 0.25, $"{head}: test error {summary.FinalTestError:P1}");
    }
}
