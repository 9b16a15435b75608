using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Tests.Training;
using TorchLoss.Training;

namespace TorchLoss.Tests.Data;

/// <summary>Symmetric label noise on the training labels (train --label-noise, compare --label-noise).</summary>
[Collection(SerialCollection.Name)]
public sealed class LabelNoiseTests : IDisposable
{
    readonly TempDirectory temp = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        temp.Dispose();
    }

    static readonly long[] Labels = Enumerable.Range(0, 1000).Select(i => (long)(i % 10)).ToArray();

    [Theory]
    [InlineData(0.2, 200)]
    [InlineData(0.4, 400)]
    [InlineData(0.0005, 1)]
    [InlineData(0, 0)]
    public void ExactlyTheShareIsChangedEachToAnotherClass(double fraction, int changed)
    {
        var noisy = LabelNoise.Apply(Labels, 10, fraction);
        Assert.Equal(changed, noisy.Zip(Labels).Count(p => p.First != p.Second));
        Assert.All(noisy, l => Assert.InRange(l, 0, 9));
        // Every other class is reachable: the changed labels of class 0 land on all nine others.
        if (changed >= 200)
            Assert.Equal(9, noisy.Zip(Labels).Where(p => p.Second == 0 && p.First != 0).Select(p => p.First).Distinct().Count());
    }

    [Fact]
    public void TheSameSeedGivesTheSameLabelsAndAnotherSeedOthers()
    {
        Assert.Equal(LabelNoise.Apply(Labels, 10, 0.3), LabelNoise.Apply(Labels, 10, 0.3));
        Assert.NotEqual(LabelNoise.Apply(Labels, 10, 0.3), LabelNoise.Apply(Labels, 10, 0.3, seed: 1));
        // Recorded values: a change of generator would change every noisy study's labels.
        Assert.Equal([1L, 1, 2, 3, 7, 9, 6, 7, 8, 9, 0, 9, 2, 7], LabelNoise.Apply(Labels, 10, 0.3)[..14]);
        Assert.Throws<ArgumentException>(() => LabelNoise.Apply([0, 12], 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Apply(Labels, 10, 1.5));
    }

    [Fact]
    public void TheViewChangesOnlyTheTrainingLabelsAndLeavesTheDataUsable()
    {
        using var data = SyntheticImages.Data(train: 400, validation: 100, test: 100, classes: 4);
        var clean = data.Train.Y.data<long>().ToArray();
        using (var noisy = data.WithTrainingLabelNoise(0.25))
        {
            Assert.Same(data.Validation, noisy.Validation);
            Assert.Same(data.Test, noisy.Test);
            Assert.Same(data.Train.X, noisy.Train.X);
            Assert.Equal(0.25, noisy.TrainingLabelNoise);
            Assert.Equal(75, noisy.Train.Y.data<long>().ToArray().Zip(clean).Count(p => p.First != p.Second));
        }
        // Disposing the view freed only its labels.
        Assert.Equal(clean, data.Train.Y.data<long>().ToArray());
        Assert.Equal(300, data.Train.X.size(0));
    }

    [Fact]
    public void ARunTrainsOnTheNoisyLabelsAndRecordsTheShare()
    {
        using var data = SyntheticImages.Data(train: 400, validation: 100, test: 100, classes: 4);
        RunSummary Train(double noise, string name) => new Trainer(new TrainConfig
        {
            Dataset = "synthetic", Head = "softmax-ce", Model = "linear", LearningRate = 0.3, Momentum = 0.9, BatchSize = 20, Epochs = 3,
            Seed = 3, LabelNoise = noise,
        }, data, new RunFolder(temp[name])).Run();
        var clean = Train(0, "clean");
        var noisy = Train(0.5, "noisy");
        Assert.Equal(0.5, new RunFolder(temp["noisy"]).ReadConfig()!.Config.LabelNoise);
        // Half the training labels are wrong: the training loss cannot fall as low as on clean labels.
        Assert.True(noisy.FinalTrainLoss > clean.FinalTrainLoss, $"noisy {noisy.FinalTrainLoss} against clean {clean.FinalTrainLoss}");
    }

    [Fact]
    public void CompareGivesEveryRunTheNoiseAndSaysSo()
    {
        using var study = new TableStudy();
        var result = study.Compare(["--heads", "softmax-ce", "--models", "linear", "--seeds", "1", "--epochs", "1", "--fine-tune-epochs", "0",
            "--init-scales", "1", "--tuning-epochs", "1", "--lr-grid", "0.1", "--label-noise", "0.4"]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Equal(0.4, new RunFolder(Path.Combine(study.Folder, "tuning", "linear", "softmax-ce", "lr-0.1")).ReadConfig()!.Config.LabelNoise);
        Assert.Equal(0.4, new RunFolder(Path.Combine(study.Folder, "runs", "linear_softmax-ce", "seed-1")).ReadConfig()!.Config.LabelNoise);
        Assert.Contains("Label noise: 40 % of the training labels changed", File.ReadAllText(Path.Combine(study.Folder, "report.md")));
        var bad = InProcessCli.Run(CompareCommand.Create, ["--label-noise", "1", "--plan"]);
        Assert.Equal(ExitCodes.UsageError, bad.Code);
    }
}
