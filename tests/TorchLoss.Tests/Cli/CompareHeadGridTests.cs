using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>compare with a grid of its own for one head and logit-mse's rescaling (k, M), on a small CSV file. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class CompareHeadGridTests : IDisposable
{
    readonly TableStudy study = new();

    public void Dispose() => study.Dispose();

    static readonly string[] Small =
    [
        "--heads", "softmax-ce,logit-mse", "--models", "linear", "--seeds", "1", "--epochs", "2", "--fine-tune-epochs", "0", "--init-scales", "1",
        "--tuning-epochs", "1", "--lr-grid", "0.1,0.3", "--lr-grid-for", "logit-mse=0.01,0.03", "--true-class-weight", "2", "--true-class-target", "3",
    ];

    [Fact]
    public void Each_head_is_tuned_on_its_own_grid_and_logit_mse_runs_with_k_and_m()
    {
        var result = study.Compare(Small);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var tuned = Directory.GetDirectories(Path.Combine(study.Folder, "tuning", "linear", "logit-mse")).Select(Path.GetFileName).Order();
        Assert.Equal(["lr-0.01", "lr-0.03"], tuned);
        Assert.Equal(["lr-0.1", "lr-0.3"], Directory.GetDirectories(Path.Combine(study.Folder, "tuning", "linear", "softmax-ce")).Select(Path.GetFileName).Order());
        var config = new RunFolder(Path.Combine(study.Folder, "runs", "linear_logit-mse", "seed-1")).ReadConfig()!.Config;
        Assert.Equal((2.0, 3.0), (config.TrueClassWeight, config.TrueClassTarget));
        Assert.Contains(config.LearningRate, new[] { 0.01, 0.03 });
        var report = File.ReadAllText(Path.Combine(study.Folder, "report.md"));
        Assert.Contains("| model | head | lr 0.01 | lr 0.03 | lr 0.1 | lr 0.3 | chosen | caution |", report.Replace(" ---:", " ---"));
        Assert.Contains("true class's weight k = 2, target M = 3", report);
        Assert.Contains("Learning-rate grid of logit-mse: 0.01, 0.03", report);
    }

    [Theory]
    [InlineData("--lr-grid-for 'logit-mse': expected HEAD=R1,R2,...", "--lr-grid-for", "logit-mse")]
    [InlineData("--lr-grid-for sigmoid-mse: the study has no head sigmoid-mse", "--heads", "softmax-ce", "--lr-grid-for", "sigmoid-mse=0.1")]
    public void Bad_grids_are_one_line(string message, params string[] args)
    {
        var result = study.Compare([.. args, "--plan"]);
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Contains(message, result.Error);
    }
}
