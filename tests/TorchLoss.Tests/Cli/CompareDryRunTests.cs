using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>compare --dry-run: the plan with each unfinished run's estimated time and the total, nothing trained; a
/// finished study estimates nothing. Serial: it times training steps.</summary>
[Collection(SerialCollection.Name)]
public sealed class CompareDryRunTests : IDisposable
{
    readonly TableStudy study = new();

    public void Dispose() => study.Dispose();

    (int Code, string Output, string Error) Compare(params string[] args) =>
        study.Compare(["--heads", "softmax-ce,sigmoid-mse",
            "--models", "linear", "--seeds", "1", "--epochs", "2", "--fine-tune-epochs", "0", "--init-scales", "1", "--tuning-epochs", "1",
            "--lr-grid", "0.1,0.3", .. args]);

    [Fact]
    public void Each_unfinished_run_gets_an_estimate_and_nothing_is_trained()
    {
        var dry = Compare("--dry-run");
        Assert.True(dry.Code == ExitCodes.Ok, dry.Error);
        var runLines = dry.Output.Split('\n').Where(l => l.StartsWith("  tuning/", StringComparison.Ordinal) || l.StartsWith("  runs/", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, runLines.Count); // 2 heads x 2 rates of tuning, 2 arms
        Assert.All(runLines, l => Assert.Matches(@", about (under 1 s|\d+ s|\d+ min \d+ s)\]$", l));
        Assert.Matches(@"estimated time on this machine: .+ for 6 unfinished run\(s\) \(tuning .+, arms .+\)", dry.Output);
        Assert.False(Directory.Exists(Path.Combine(study.Folder, "runs")));
        Assert.False(Directory.Exists(Path.Combine(study.Folder, "tuning")));

        Assert.Equal(ExitCodes.Ok, Compare().Code);
        var after = Compare("--dry-run");
        Assert.Contains("estimated time on this machine: under 1 s for 0 unfinished run(s)", after.Output);
        Assert.DoesNotContain(", about ", after.Output);
    }

    [Fact]
    public void Dry_run_is_a_mode_of_its_own()
    {
        var both = Compare("--dry-run", "--plan");
        Assert.Equal(ExitCodes.UsageError, both.Code);
        Assert.Contains("choose one of --plan, --dry-run", both.Error);
    }
}
