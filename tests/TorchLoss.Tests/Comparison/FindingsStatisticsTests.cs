using TorchLoss.Comparison;
using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Tests.Comparison;

/// <summary>The reading's words follow a stated test, not the spread: fine-tuning against its control by a paired test
/// over seeds (McNemar's on the test images with one seed), and split outcomes shown seed by seed.</summary>
public class FindingsStatisticsTests
{
    static readonly StudyConfig Config = StudyConfig.Default with { Models = ["linear"], Heads = ["softmax-ce", "sigmoid-mse"] };

    static RunResult Run(ArmKind kind, string head, int seed, double testError, double lastValidation = 0.1, bool[]? correct = null) => new(
        new PlannedRun($"{kind}/{head}/{seed}", new TrainConfig { Model = "linear", Head = head, Seed = (ulong)seed }, new Arm(kind, "linear", head), seed),
        new RunSummary { Status = RunStatus.Completed, Epochs = 1, Steps = 10, FinalTrainLoss = 0, FinalTrainError = 0, TrainingSeconds = 1,
            StepsPerSecond = 10, FinalTestError = testError, FinalValidationError = lastValidation, BestValidationError = lastValidation },
        [new MetricRecord(MetricRecord.EpochKind, 1, 10, [new("validation_error", lastValidation), new("output_grad_norm", 0.1), new("saturated_fraction", 0.1)])],
        Reused: false, TestPredictions: correct is null ? null
            : new SavedPredictions(correct, correct.Select(_ => 1.0).ToArray(), correct.Select(c => c ? 1.0 : 0.0).ToArray()));

    static ArmResult Arm(ArmKind kind, string head, params RunResult[] runs) => new(new Arm(kind, "linear", head), 0.1, runs, 0.9, StuckRule.TenClasses);

    static StudyResult Study(double[] control, double[] fineTuned, bool[][]? controlCorrect = null, bool[][]? fineCorrect = null)
    {
        var seeds = Enumerable.Range(1, control.Length).ToArray();
        return new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", seeds.Select(s => Run(ArmKind.RandomInit, "softmax-ce", s, 0.08)).ToArray()),
            Arm(ArmKind.RandomInit, "sigmoid-mse", seeds.Select(s => Run(ArmKind.RandomInit, "sigmoid-mse", s, 0.09)).ToArray()),
            Arm(ArmKind.FineTune, "softmax-ce", seeds.Select(s => Run(ArmKind.FineTune, "softmax-ce", s, control[s - 1], correct: controlCorrect?[s - 1])).ToArray()),
            Arm(ArmKind.FineTune, "sigmoid-mse", seeds.Select(s => Run(ArmKind.FineTune, "sigmoid-mse", s, fineTuned[s - 1], correct: fineCorrect?[s - 1])).ToArray()),
        ], TimeSpan.Zero, 0, 0);
    }

    static string FineTuningLine(StudyResult study) => Assert.Single(Findings.Read(study), f => f.Contains("Golik's recipe"));

    [Fact]
    public void AConsistentGainOverThreeSeedsIsAGainByThePairedTest()
    {
        var study = Study([0.0300, 0.0310, 0.0320], [0.0250, 0.0262, 0.0268]);
        var comparison = Assert.Single(FineTuneComparison.Of(study));
        Assert.Equal(1, comparison.Verdict);
        Assert.True(comparison.Paired.PairedTP < 0.05, $"p = {comparison.Paired.PairedTP}");
        var line = FineTuningLine(study);
        Assert.Contains("−0.50 points, a gain at the 0.05 level (paired t-test across 3 seeds p = ", line);
        Assert.Contains("exact Wilcoxon p = 0.25", line); // three seeds: the exact test cannot go lower
    }

    [Fact]
    public void ADifferenceSmallerThanTheSeedsDisagreeIsWithinNoise()
    {
        var study = Study([0.0300, 0.0250, 0.0350], [0.0280, 0.0300, 0.0290]);
        Assert.Equal(0, Assert.Single(FineTuneComparison.Of(study)).Verdict);
        Assert.Contains(", within noise at the 0.05 level (paired t-test across 3 seeds p = ", FineTuningLine(study));
    }

    [Fact]
    public void McNemarInEverySeedIsSaidWhenThePairedTestCannotTell()
    {
        // Two seeds, each clearly worse on its test images (400 images the control gets right and the arm wrong), but the
        // paired test over 2 seeds cannot separate that from noise.
        var control = Enumerable.Range(0, 10_000).Select(i => i >= 300).ToArray();
        var worse = Enumerable.Range(0, 10_000).Select(i => i >= 700).ToArray();
        var study = Study([0.030, 0.032], [0.070, 0.090], [control, control], [worse, worse]);
        var comparison = Assert.Single(FineTuneComparison.Of(study));
        Assert.Equal(0, comparison.Verdict);
        Assert.Contains("a loss on every seed's test images (McNemar) but within noise across seeds at the 0.05 level", FineTuningLine(study));
    }

    [Fact]
    public void TwoSeedsSayTheTestIsWeak() =>
        Assert.Contains("with 2 seeds the test is weak", FineTuningLine(Study([0.030, 0.031], [0.025, 0.027])));

    [Fact]
    public void OneSeedHasNoPairedTestAndMcNemarDecides()
    {
        // 10,000 test images; fine-tuning fixes 60 the control gets wrong and breaks 20 it gets right.
        var control = Enumerable.Range(0, 10_000).Select(i => i >= 300).ToArray();
        var fineTuned = Enumerable.Range(0, 10_000).Select(i => i < 60 || i >= 320).ToArray();
        var study = Study([0.0300], [0.0260], [control], [fineTuned]);
        var comparison = Assert.Single(FineTuneComparison.Of(study));
        Assert.Equal((60, 20), (comparison.McNemarPerSeed[0].OnlyA, comparison.McNemarPerSeed[0].OnlyB));
        Assert.Equal(1, comparison.Verdict);
        var line = FineTuningLine(study);
        Assert.Contains("a gain at the 0.05 level (one seed: no spread across seeds and no paired test; McNemar on the same test images p = ", line);
        Assert.Contains("one test error moves by 0.17 points (binomial standard error)", line); // sqrt(0.03 * 0.97 / 10000)
        Assert.Contains("ends at 2.60 % (1 seed)", line);
        Assert.DoesNotContain("±", line);
    }

    [Theory]
    [InlineData(new[] { 0.0734, 0.0719, 0.0751 }, "the reverse of the experiment that 为什么Softmax回归不用MSE")]
    [InlineData(new[] { 0.0844, 0.0827, 0.0826 }, ": as the experiment that")]
    [InlineData(new[] { 0.0804, 0.0776, 0.0797 }, "within noise, neither confirming nor contradicting the experiment that")]
    public void SoftmaxRegressionIsSetAgainstThePostsExperiment(double[] softmaxMse, string expected)
    {
        double[] softmaxCe = [0.0804, 0.0786, 0.0787];
        var study = new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", softmaxCe.Select((e, i) => Run(ArmKind.RandomInit, "softmax-ce", i + 1, e)).ToArray()),
            Arm(ArmKind.RandomInit, "softmax-mse", softmaxMse.Select((e, i) => Run(ArmKind.RandomInit, "softmax-mse", i + 1, e)).ToArray()),
        ], TimeSpan.Zero, 0, 0);
        Assert.Contains(Findings.Read(study), f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void StepsAndSecondsToTheTargetCountUntilTheEndOfTheFirstEpochThatReachesIt()
    {
        RunResult Reaching(int seed, params double[] accuracy) => Run(ArmKind.RandomInit, "softmax-ce", seed, 0.1) with
        {
            Epochs = accuracy.Select((a, i) => new MetricRecord(MetricRecord.EpochKind, i + 1, 100 * (i + 1),
                [new("validation_accuracy", a), new("wall_seconds", 2.0 + seed)])).ToList(),
        };
        // Seed 1 reaches 90 % in epoch 2 (200 steps, 2 x 3 s), seed 2 in epoch 3 (300 steps, 3 x 4 s), seed 3 never.
        var arm = Arm(ArmKind.RandomInit, "softmax-ce", Reaching(1, 0.5, 0.91, 0.95), Reaching(2, 0.5, 0.8, 0.9), Reaching(3, 0.5, 0.6, 0.7));
        Assert.Equal(2, arm.SeedsReachingTarget);
        Assert.Equal(2.5, arm.EpochsToTarget.Mean);
        Assert.Equal(250, arm.StepsToTarget.Mean);
        Assert.Equal(9, arm.SecondsToTarget.Mean);
        var row = ArmRow.Of(arm);
        Assert.Equal((250.0, 9.0), (row["steps_to_target_mean"], row["seconds_to_target_mean"]));
    }

    [Fact]
    public void AChosenRateOnTheGridsEdgeOrATiedGridIsFlagged()
    {
        LearningRateChoice Choice(double chosen, params (double, double)[] tried) => new("mlp:8", "sigmoid-mse", chosen, tried);
        Assert.Equal("every rate tied: the grid did not decide, the smallest was taken", Choice(0.1, (0.1, 0.9009), (0.3, 0.9009), (1, 0.9009)).Caution);
        Assert.Equal("the grid's largest rate: a larger one may be better", Choice(1, (0.1, 0.3), (0.3, 0.2), (1, 0.1)).Caution);
        Assert.Equal("the grid's smallest rate: a smaller one may be better", Choice(0.1, (0.1, 0.1), (0.3, 0.2), (1, 0.3)).Caution);
        Assert.Null(Choice(0.3, (0.1, 0.3), (0.3, 0.1), (1, 0.2)).Caution);
        // Stuck at the same error at two rates (sigmoid-mse on the MLP with 3 tuning seeds, --quick), not at the third.
        Assert.Equal("tied with 0.3: the grid did not decide between them, the smallest was taken",
            Choice(0.1, (0.1, 0.8952), (0.3, 0.8952), (1, 0.8984)).Caution);

        var study = Study([0.03], [0.03]) with
        {
            LearningRates = new Dictionary<(string, string), LearningRateChoice> { [("mlp:8", "sigmoid-mse")] = Choice(0.1, (0.1, 0.9009), (0.3, 0.9009)) },
        };
        Assert.Contains("Learning rates to doubt: sigmoid-mse on mlp:8 chose 0.1 (every rate tied: the grid did not decide, the smallest was taken).",
            Findings.Read(study));
    }

    [Fact]
    public void GradientsAreAlsoComparedWithEachHeadsOwnStart()
    {
        RunResult WithStart(string head, int seed, double initial) => Run(ArmKind.RandomInit, head, seed, 0.05) with
        {
            Initial = new MetricRecord(MetricRecord.EpochKind, 0, 0, [new("output_grad_norm", initial)]),
        };
        // Both first epochs have ‖dL/dz‖ 0.1 (see Run); cross-entropy started at 0.125, sigmoid-mse at 4.
        var study = new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", WithStart("softmax-ce", 1, 0.125)),
            Arm(ArmKind.RandomInit, "sigmoid-mse", WithStart("sigmoid-mse", 1, 4)),
        ], TimeSpan.Zero, 0, 0);
        var why = Assert.Single(Findings.Read(study), f => f.StartsWith("Why, in the first epoch", StringComparison.Ordinal));
        Assert.Contains("mean ‖dL/dz‖ 0.1 (0.8× its own at initialization)", why);
        Assert.Contains("(1× smaller than cross-entropy's; 0.025× its own at initialization)", why);
    }

    [Fact]
    public void WithCrossEntropyAloneTheWhySentenceHasNoEmptyClause()
    {
        var study = new StudyResult(Config with { Heads = ["softmax-ce"] }, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", Run(ArmKind.RandomInit, "softmax-ce", 1, 0.05) with
            {
                Initial = new MetricRecord(MetricRecord.EpochKind, 0, 0, [new("output_grad_norm", 0.125)]),
            }),
        ], TimeSpan.Zero, 0, 0);
        var why = Assert.Single(Findings.Read(study), f => f.StartsWith("Why, in the first epoch", StringComparison.Ordinal));
        Assert.Equal("Why, in the first epoch: softmax-ce has 10.0 % of outputs saturated and mean ‖dL/dz‖ 0.1 (0.8× its own at initialization).", why);
        Assert.All(Findings.Read(study), line => Assert.DoesNotMatch(@"[;,:]\s*[.;,]|\s[.;,]", line));
    }

    [Fact]
    public void SplitSeedsAreShownSeedBySeed()
    {
        var study = new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", Run(ArmKind.RandomInit, "softmax-ce", 1, 0.03), Run(ArmKind.RandomInit, "softmax-ce", 2, 0.03)),
            Arm(ArmKind.RandomInit, "sigmoid-mse", Run(ArmKind.RandomInit, "sigmoid-mse", 1, 0.8990, lastValidation: 0.90),
                Run(ArmKind.RandomInit, "sigmoid-mse", 2, 0.0279), Run(ArmKind.RandomInit, "sigmoid-mse", 3, 0.0255)),
        ], TimeSpan.Zero, 0, 0);
        var line = Findings.Read(study)[0];
        Assert.Contains("sigmoid-mse is stuck in 1 of 3 seeds and learns in the others (test error per seed: 89.90 / 2.79 / 2.55 %)", line);
        Assert.Equal(1, study.Arms[1].StuckSeeds);
        var row = ArmRow.Of(study.Arms[1]);
        Assert.Equal(1, row["stuck_seeds"]);
        Assert.True(row["test_error_ci_low"] < 0 && row["test_error_ci_high"] > 0.9, "a split outcome has a wide interval");
    }

    [Theory]
    [InlineData(2, 0.5)]
    [InlineData(10, 0.5)]   // the MNIST mark: accuracy at most 50 % = 5 x chance
    [InlineData(100, 0.95)]
    [InlineData(1000, 0.995)]
    public void TheStuckMarkIsFiveTimesChanceAndNeverAbove50PercentAccuracy(int classes, double error)
    {
        Assert.Equal(error, new StuckRule(classes).Error, 12);
        Assert.True(new StuckRule(classes).IsStuck(error));
        Assert.False(new StuckRule(classes).IsStuck(error - 1e-9));
    }

    [Fact]
    public void WithAThousandClassesARunFarFromChanceLearnsAndOneAtChanceIsStuck()
    {
        // The 1,000-class study: cross-entropy at 88.6 % validation error (114 x chance accuracy), squared error at 99.9 %.
        var rule = new StuckRule(1000);
        var study = new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", Run(ArmKind.RandomInit, "softmax-ce", 1, 0.8858, lastValidation: 0.886)) with { Stuck = rule },
            Arm(ArmKind.RandomInit, "softmax-mse", Run(ArmKind.RandomInit, "softmax-mse", 1, 0.999, lastValidation: 0.999)) with { Stuck = rule },
        ], TimeSpan.Zero, 0, 0);
        Assert.Equal([0, 1], study.Arms.Select(a => a.StuckSeeds));
        var line = Findings.Read(study)[0];
        Assert.Contains("softmax-mse is stuck: validation error 99.9 % after epoch 1", line);
        Assert.Contains("(a run whose validation error is still 99.5 % or more after its last epoch counts as stuck: accuracy at most five times chance, 1/1000)", line);
        Assert.DoesNotContain("softmax-ce is stuck", line);
        Assert.Equal(0.995, ArmRow.Of(study.Arms[1])["stuck_validation_error"]);

        var tenClasses = study with { Arms = [.. study.Arms.Select(a => a with { Stuck = StuckRule.TenClasses })] };
        Assert.Equal([1, 1], tenClasses.Arms.Select(a => a.StuckSeeds));
    }

    [Theory]
    [InlineData(new[] { 0.0760, 0.0745, 0.0771 }, "+5.32 points, worse at the 0.05 level (paired t-test across 3 seeds p = ", "Hui and Belkin's \"comparable\" does not hold here.")]
    [InlineData(new[] { 0.0230, 0.0251, 0.0215 }, "points, within noise at the 0.05 level (paired t-test across 3 seeds p = ", "this does not contradict Hui and Belkin's \"comparable\".")]
    [InlineData(new[] { 0.0200, 0.0190, 0.0195 }, "−0.32 points, better at the 0.05 level (", "better than cross-entropy, as Hui and Belkin found in some tasks.")]
    public void TheSquareLossOnLogitsIsSetAgainstHuiAndBelkin(double[] logitMse, string test, string verdict)
    {
        double[] softmaxCe = [0.0229, 0.0212, 0.0240];
        var study = new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", softmaxCe.Select((e, i) => Run(ArmKind.RandomInit, "softmax-ce", i + 1, e)).ToArray()),
            Arm(ArmKind.RandomInit, "logit-mse", logitMse.Select((e, i) => Run(ArmKind.RandomInit, "logit-mse", i + 1, e)).ToArray()),
        ], TimeSpan.Zero, 0, 0);
        var line = Assert.Single(Findings.Read(study), f => f.Contains("the square loss on logits (logit-mse) ends at", StringComparison.Ordinal));
        Assert.Contains("from the same initial weights and for the same epochs: ", line);
        Assert.Contains(test, line);
        Assert.EndsWith(verdict, line);
    }

    [Fact]
    public void WithTwoSeedsWorseOnEverySeedsImagesIsNotCalledComparable()
    {
        // Seeds 1 and 2: the square loss gets 700 test images wrong that cross-entropy gets right, and 100 the other way.
        var ce = Enumerable.Range(0, 10_000).Select(i => i >= 300).ToArray();
        var logits = Enumerable.Range(0, 10_000).Select(i => i < 100 || i >= 1000).ToArray();
        var study = new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", Run(ArmKind.RandomInit, "softmax-ce", 1, 0.03, correct: ce), Run(ArmKind.RandomInit, "softmax-ce", 2, 0.031, correct: ce)),
            Arm(ArmKind.RandomInit, "logit-mse", Run(ArmKind.RandomInit, "logit-mse", 1, 0.09, correct: logits), Run(ArmKind.RandomInit, "logit-mse", 2, 0.15, correct: logits)),
        ], TimeSpan.Zero, 0, 0);
        var line = Assert.Single(Findings.Read(study), f => f.Contains("logit-mse) ends at", StringComparison.Ordinal));
        Assert.Contains("worse on every seed's test images (McNemar) but within noise across seeds", line);
        Assert.EndsWith("not comparable on any seed's test images, though the seeds are too few to tell.", line);
    }

    [Fact]
    public void WithOneSeedTheSquareLossOnLogitsRestsOnMcNemar()
    {
        var study = new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", Run(ArmKind.RandomInit, "softmax-ce", 1, 0.0229)),
            Arm(ArmKind.RandomInit, "logit-mse", Run(ArmKind.RandomInit, "logit-mse", 1, 0.0760)),
        ], TimeSpan.Zero, 0, 0);
        var line = Assert.Single(Findings.Read(study), f => f.Contains("logit-mse) ends at", StringComparison.Ordinal));
        Assert.Contains("+5.31 points, within noise at the 0.05 level (one seed: no spread across seeds and no paired test)", line);
    }

    [Fact]
    public void ARunWhoseLossExplodesDivergesRatherThanSticks()
    {
        // Learns in epoch 1 (14.9 % validation error), then its training loss grows a millionfold: not a plateau.
        RunResult Exploding(int seed) => Run(ArmKind.RandomInit, "logit-mse", seed, 0.91, lastValidation: 0.90) with
        {
            Epochs = new[] { (0.41, 0.149), (30.0, 0.5), (4.1e5, 0.90) }.Select((e, i) => new MetricRecord(MetricRecord.EpochKind, i + 1, 10 * (i + 1),
                [new("train_loss", e.Item1), new("validation_error", e.Item2)])).ToList(),
        };
        var study = new StudyResult(Config, new Dictionary<(string, string), LearningRateChoice>(),
        [
            Arm(ArmKind.RandomInit, "softmax-ce", Run(ArmKind.RandomInit, "softmax-ce", 1, 0.05), Run(ArmKind.RandomInit, "softmax-ce", 2, 0.05)),
            Arm(ArmKind.RandomInit, "logit-mse", Exploding(1), Exploding(2)),
        ], TimeSpan.Zero, 0, 0);
        Assert.Equal(2, study.Arms[1].DivergingSeeds);
        Assert.Equal(0, study.Arms[0].DivergingSeeds);
        var line = Findings.Read(study)[0];
        Assert.Contains("logit-mse diverges in both seeds: its training loss ends 1e+6 times its lowest or more, and its validation error goes from 14.9 % after epoch 1 to 90.0 % after epoch 1", line);
        Assert.Contains("one diverges when its training loss ends more than 1,000 times its lowest", line);
        Assert.DoesNotContain("logit-mse is stuck", line);
        Assert.Equal(2, ArmRow.Of(study.Arms[1])["diverging_seeds"]);
    }
}
