using TorchLoss.Cli.Commands;
using TorchLoss.Engines;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

public sealed class EpochLineTests
{
    static EpochRecord Record(int epoch, double error, double dz, double saturated, double stepsPerSecond, bool test = true) => new(
        epoch, epoch * 100, 0.1, 0.5, 1 - error, new SplitScore(0.4, 1 - error), test ? new SplitScore(0.4, 1 - error) : null, 1, stepsPerSecond,
        new IntervalStatistics(100, 12_800, 0.5, 1 - error, dz, saturated, 0.3, new Dictionary<string, GradientNorm>(), 0, 0, 0, 0, 1000, 0, [], 0));

    [Fact]
    public void The_lines_of_a_run_align_in_columns_whatever_their_numbers()
    {
        var lines = new[]
        {
            TrainConsole.EpochLine(Record(1, 0.8867, 0.00628, 0.96, 612), 12),
            TrainConsole.EpochLine(Record(10, 0.0123, 0.5, 0.001, 18_700), 12),
            TrainConsole.EpochLine(Record(12, 1.0, 1.25e-17, 1.0, 5, test: false), 12),
        };
        Assert.All(lines, line => Assert.Equal(lines[0].Length, line.Length));
        foreach (var field in new[] { "lr ", "train loss", "val err", "test err", "|dL/dz|", "saturated", "steps/s" })
            Assert.All(lines, line => Assert.Equal(lines[0].IndexOf(field, StringComparison.Ordinal), line.IndexOf(field, StringComparison.Ordinal)));
        Assert.StartsWith("epoch  1/12  lr 0.1 ", lines[0]);
        Assert.Contains("test err        -", lines[2]);
    }
}
