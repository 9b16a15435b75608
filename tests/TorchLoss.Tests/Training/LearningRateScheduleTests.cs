using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void ConstantNeverChanges()
    {
        var s = LearningRateSchedule.Parse("constant", 0.1);
        for (var e = 1; e <= 5; e++) Assert.Equal(0.1, s.AfterEpoch(e, validationImproved: e % 2 == 0));
    }

    [Fact]
    public void StepMultipliesEveryNEpochs()
    {
        var s = LearningRateSchedule.Parse("step:2:0.5", 1.0);
        Assert.Equal([1.0, 0.5, 0.5, 0.25, 0.25], Enumerable.Range(1, 5).Select(e => s.AfterEpoch(e, true)));
    }

    [Fact]
    public void NewbobHalvesAfterEveryEpochWithoutValidationImprovement()
    {
        var s = LearningRateSchedule.Parse("newbob", 0.8);
        Assert.Equal([0.8, 0.4, 0.4, 0.2], new[] { true, false, true, false }.Select((improved, i) => s.AfterEpoch(i + 1, improved)));
    }

    [Theory]
    [InlineData("cosine")]
    [InlineData("step:0:0.5")]
    [InlineData("step:2:1.5")]
    [InlineData("step:2")]
    public void BadSchedulesAreRejected(string text) => Assert.Throws<FormatException>(() => LearningRateSchedule.Parse(text, 0.1));
}
