using TorchLoss.Comparison.Statistics;

namespace TorchLoss.Tests.Comparison;

/// <summary>The study's statistics against published values (R's qt/pt, the paired t-test of Student's sleep data)
/// and exact counts worked by hand.</summary>
public class StatisticsTests
{
    [Theory]
    [InlineData(1, 12.706204736)]
    [InlineData(4, 2.776445105)]
    [InlineData(30, 2.042272456)]
    public void TQuantilesMatchR(int df, double expected) => Assert.Equal(expected, StudentT.Quantile(0.975, df), 6);

    [Fact]
    public void TTailsMatchR()
    {
        Assert.Equal(0.07338803, StudentT.TwoSidedP(2.0, 10), 7);
        Assert.Equal(1.0, StudentT.TwoSidedP(0, 3), 12);
        Assert.Equal(0.5, StudentT.TwoSidedP(1, 1), 9); // Cauchy: P(|T| > 1) = 1/2
    }

    // Student's sleep data (R: t.test(extra ~ group, data = sleep, paired = TRUE)): t = -4.0621, df = 9, p = 0.002833,
    // 95 % CI -2.4598858 .. -0.7001142.
    static readonly double[] Group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    static readonly double[] Group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    [Fact]
    public void ThePairedTTestOfTheSleepDataMatchesR()
    {
        var c = PairedComparison.Of(Group1, Group2);
        Assert.Equal(10, c.Count);
        Assert.Equal(-1.58, c.MeanDifference, 10);
        Assert.Equal(0.002833, c.PairedTP, 6);
        Assert.Equal(-2.4598858, c.CiLow, 6);
        Assert.Equal(-0.7001142, c.CiHigh, 6);
        // Nine nonzero differences, all negative: only "all negative" and "all positive" are as extreme.
        Assert.Equal(2.0 / 512, c.SignP, 12);
        Assert.Equal(2.0 / 512, c.WilcoxonP, 12);
    }

    [Fact]
    public void SmallSamplesGiveTheExactDistributionsFloor()
    {
        // Three seeds, all better: the exact tests cannot go below 2/8 = 0.25, whatever the size of the gain.
        var c = PairedComparison.Of([0.10, 0.20, 0.30], [0.11, 0.25, 0.32]);
        Assert.Equal(0.25, c.SignP, 12);
        Assert.Equal(0.25, c.WilcoxonP, 12);
        var one = PairedComparison.Of([0.1], [0.2]);
        Assert.True(double.IsNaN(one.PairedTP) && double.IsNaN(one.CiLow));
    }

    [Fact]
    public void McNemarCountsOnlyTheDisagreements()
    {
        var a = Enumerable.Repeat(true, 10).Concat(Enumerable.Repeat(false, 2)).Concat(Enumerable.Repeat(true, 100)).ToArray();
        var b = Enumerable.Repeat(false, 10).Concat(Enumerable.Repeat(true, 2)).Concat(Enumerable.Repeat(true, 100)).ToArray();
        var m = McNemar.Of(a, b);
        Assert.Equal((10, 2), (m.OnlyA, m.OnlyB));
        Assert.Equal(2.0 * (1 + 12 + 66) / 4096, m.P, 12);
        Assert.Equal(1, McNemar.Of(a, a).P);
    }

    [Fact]
    public void TheBinomialStandardErrorOfATestErrorIsWhatTheIssueQuotes() =>
        Assert.Equal(0.0014, Binomial.StandardError(0.02, 10_000), 6);

    [Fact]
    public void MeanIntervalsUseTheTQuantile()
    {
        var i = MeanInterval.Of([1, 2, 3]);
        Assert.Equal(2, i.Mean, 12);
        Assert.Equal(2 - 4.302652730 / Math.Sqrt(3), i.Low, 6); // sd 1, t(0.975, 2) = 4.3027
        Assert.True(double.IsNaN(MeanInterval.Of([1]).Low));
    }
}
