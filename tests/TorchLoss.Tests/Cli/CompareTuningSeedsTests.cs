using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Comparison;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>compare --tuning-seeds N: every learning rate is tried with seeds 1..N, and the rate with the lowest mean
/// best-validation error is chosen; the report shows each rate's mean and its seeds' range. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class CompareTuningSeedsTests : IDisposable
{
    readonly TableStudy study = new();

    public void Dispose() => study.Dispose();

    [Fact]
    public void The_rate_with_the_lowest_mean_over_the_tuning_seeds_is_chosen()
    {
        var result = study.Compare(["--heads", "softmax-ce,sigmoid-mse", "--models", "linear", "--seeds", "1", "--epochs", "2", "--fine-tune-epochs", "0",
            "--init-scales", "1", "--tuning-epochs", "2", "--lr-grid", "0.03,1", "--tuning-seeds", "2"]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        foreach (var head in new[] { "softmax-ce", "sigmoid-mse" })
        {
            var folder = Path.Combine(study.Folder, "tuning", "linear", head);
            Assert.Equal(["lr-0.03", "lr-0.03_seed-2", "lr-1", "lr-1_seed-2"], Directory.GetDirectories(folder).Select(Path.GetFileName).Order());
            double Error(string run, ulong seed)
            {
                var f = new RunFolder(Path.Combine(folder, run));
                Assert.Equal(seed, f.ReadConfig()!.Config.Seed);
                return JsonFiles.Read<RunSummary>(f.File(RunFolder.SummaryFile)).BestValidationError!.Value;
            }
            var mean003 = (Error("lr-0.03", 1) + Error("lr-0.03_seed-2", 2)) / 2;
            var mean1 = (Error("lr-1", 1) + Error("lr-1_seed-2", 2)) / 2;
            var chosen = new RunFolder(Path.Combine(study.Folder, "runs", $"linear_{head}", "seed-1")).ReadConfig()!.Config.LearningRate;
            Assert.Equal(mean003 <= mean1 ? 0.03 : 1, chosen);
        }
        var report = File.ReadAllText(Path.Combine(study.Folder, "report.md"));
        Assert.Contains("at every rate of the grid (seeds 1..2)", report);
        Assert.Matches(@"\| [0-9.]+ % \([0-9.]+ %–[0-9.]+ %\) \|", report);
        Assert.Contains("\"validation_error_by_seed\": [", File.ReadAllText(Path.Combine(study.Folder, "summary.json")));
    }

    [Fact]
    public void Commands_that_run_elsewhere_carry_the_tuning_seeds()
    {
        var args = StudyCommandLine.For(StudyConfig.Quick with { TuningSeeds = 3 }, study.Folder);
        Assert.Equal("3", args[args.IndexOf("--tuning-seeds") + 1]);
        Assert.DoesNotContain("--tuning-seeds", StudyCommandLine.For(StudyConfig.Quick, study.Folder));
    }

    [Fact]
    public void The_momentum_and_weight_decay_reach_every_run_and_commands_that_run_elsewhere()
    {
        var result = study.Compare(["--heads", "softmax-ce", "--models", "linear", "--seeds", "1", "--epochs", "1", "--fine-tune-epochs", "0",
            "--init-scales", "1", "--tuning-epochs", "1", "--lr-grid", "0.1", "--momentum", "0", "--weight-decay", "0.001"]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Equal(0, new RunFolder(Path.Combine(study.Folder, "tuning", "linear", "softmax-ce", "lr-0.1")).ReadConfig()!.Config.Momentum);
        var run = new RunFolder(Path.Combine(study.Folder, "runs", "linear_softmax-ce", "seed-1")).ReadConfig()!.Config;
        Assert.Equal((0.0, 0.001), (run.Momentum, run.WeightDecay));
        Assert.Contains("SGD, momentum 0, weight decay 0.001,", File.ReadAllText(Path.Combine(study.Folder, "report.md")));
        var args = StudyCommandLine.For(StudyConfig.Quick with { Momentum = 0, WeightDecay = 0.001 }, study.Folder);
        Assert.Equal("0", args[args.IndexOf("--momentum") + 1]);
        Assert.Equal("0.001", args[args.IndexOf("--weight-decay") + 1]);
        var bad = InProcessCli.Run(CompareCommand.Create, ["--momentum", "1", "--plan"]);
        Assert.Equal(ExitCodes.UsageError, bad.Code);
    }

    [Fact]
    public void One_tuning_seed_keeps_the_folders_of_earlier_studies()
    {
        var plan = new StudyPlan(StudyConfig.Quick with { Models = ["linear"], Heads = ["softmax-ce"], LearningRates = [0.1] });
        Assert.Equal([Path.Combine("tuning", "linear", "softmax-ce", "lr-0.1")], plan.TuningRuns().Select(r => r.Folder));
        var two = new StudyPlan(plan.Config with { TuningSeeds = 2 });
        Assert.Equal([(1, Path.Combine("tuning", "linear", "softmax-ce", "lr-0.1")), (2, Path.Combine("tuning", "linear", "softmax-ce", "lr-0.1_seed-2"))],
            two.TuningRuns().Select(r => (r.Seed, r.Folder)));
        Assert.Equal([1UL, 2UL], two.TuningRuns().Select(r => r.Config.Seed));
    }
}
