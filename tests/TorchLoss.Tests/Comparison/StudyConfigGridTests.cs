using TorchLoss.Comparison;

namespace TorchLoss.Tests.Comparison;

/// <summary>The default study's heads and the grids tuning tries for each: the square loss on logits has one of its own.</summary>
public class StudyConfigGridTests
{
    [Fact]
    public void TheDefaultStudyHasTheSquareLossOnLogitsOnItsOwnGrid()
    {
        foreach (var preset in new[] { StudyConfig.Quick, StudyConfig.Default, StudyConfig.Full, StudyConfig.Default.ForTable(32) })
        {
            Assert.Equal(["softmax-ce", "softmax-mse", "sigmoid-mse", "logit-mse"], preset.Heads);
            Assert.Equal([0.01, 0.03, 0.1, 0.3], preset.LearningRatesFor("logit-mse"));
            Assert.Equal(preset.LearningRates, preset.LearningRatesFor("softmax-ce"));
            var tuned = new StudyPlan(preset).TuningRuns().Where(r => r.Config.Head == "logit-mse").Select(r => r.Config.LearningRate).Distinct();
            Assert.Equal([0.01, 0.03, 0.1, 0.3], tuned.Order());
        }
    }

    [Fact]
    public void AGridGivenForAHeadReplacesItsDefaultAndAStudyWithoutItNeedsNone()
    {
        var own = StudyConfig.Default with
        {
            HeadLearningRates = new Dictionary<string, IReadOnlyList<double>> { ["logit-mse"] = [0.001, 0.003] },
            LearningRates = [0.5],
        };
        Assert.Equal([0.001, 0.003], own.LearningRatesFor("logit-mse"));
        Assert.Equal([0.5], own.LearningRatesFor("sigmoid-mse"));
        Assert.Equal([0.01, 0.03, 0.1, 0.3], (own with { HeadLearningRates = null }).LearningRatesFor("logit-mse"));

        var withoutIt = StudyConfig.Default with { Heads = ["softmax-ce", "sigmoid-mse"] };
        withoutIt.Validate();
        Assert.DoesNotContain(new StudyPlan(withoutIt).TuningRuns(), r => r.Config.Head == "logit-mse");
    }
}
