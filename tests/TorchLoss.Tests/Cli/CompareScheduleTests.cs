using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Comparison;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>compare --schedule: every run, tuning runs included, trains on the schedule from its tuned rate, and the
/// report says which schedule. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class CompareScheduleTests : IDisposable
{
    readonly TableStudy study = new();

    public void Dispose() => study.Dispose();

    [Fact]
    public void Every_run_follows_the_schedule_from_its_tuned_rate()
    {
        var result = study.Compare("--heads", "softmax-ce", "--models", "linear", "--seeds", "1", "--epochs", "3", "--fine-tune-epochs", "0",
            "--init-scales", "1", "--tuning-epochs", "2", "--lr-grid", "0.1,0.3", "--schedule", "step:1:0.5");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var tuning = new RunFolder(Path.Combine(study.Folder, "tuning", "linear", "softmax-ce", "lr-0.3"));
        Assert.Equal("step:1:0.5", tuning.ReadConfig()!.Config.Schedule);
        var run = new RunFolder(Path.Combine(study.Folder, "runs", "linear_softmax-ce", "seed-1"));
        var config = run.ReadConfig()!.Config;
        Assert.Equal("step:1:0.5", config.Schedule);
        // Halved after every epoch, from the tuned rate.
        var rates = MetricsLog.Read(run.Path).Where(r => r.Kind == MetricRecord.EpochKind && r.Epoch >= 1).Select(r => r["learning_rate"]).ToList();
        Assert.Equal([config.LearningRate, config.LearningRate / 2, config.LearningRate / 4], rates);
        Assert.Contains("learning rate per head on a step schedule (step:1:0.5)", File.ReadAllText(Path.Combine(study.Folder, "report.md")));
        Assert.Contains("\"schedule\": \"step:1:0.5\"", File.ReadAllText(Path.Combine(study.Folder, "summary.json")));
    }

    [Fact]
    public void Commands_that_run_elsewhere_carry_the_schedule()
    {
        var config = StudyConfig.Quick with { Schedule = "newbob" };
        var args = StudyCommandLine.For(config, study.Folder);
        Assert.Equal("newbob", args[args.IndexOf("--schedule") + 1]);
        Assert.DoesNotContain("--schedule", StudyCommandLine.For(StudyConfig.Quick, study.Folder));
    }

    [Fact]
    public void A_bad_schedule_is_one_line()
    {
        var result = study.Compare("--schedule", "step:0:2", "--plan");
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Contains("unknown schedule 'step:0:2'", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }
}
