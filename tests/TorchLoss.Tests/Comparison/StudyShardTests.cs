using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Comparison;
using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Tests.Reliability;
using TorchLoss.Training;

namespace TorchLoss.Tests.Comparison;

/// <summary>A study run as shards (`compare --shard I/N`, then `--report`) on a small dataset: the same summary as a
/// plain `compare`, every run in exactly one shard, the plan's train commands reproducing its runs. Serial: training
/// seeds libtorch and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public class StudyShardTests : IDisposable
{
    readonly CliDataset data = new(train: 10_200, test: 100); // compare holds out 10,000 validation images
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    static readonly string[] Study =
    [
        "--heads", "softmax-ce,softmax-mse", "--models", "linear", "--seeds", "2", "--epochs", "1", "--fine-tune-epochs", "1",
        "--lr-grid", "0.1,0.3", "--tuning-epochs", "1",
    ];

    (int Code, string Output, string Error) Compare(string folder, params string[] extra) =>
        data.Run(CompareCommand.Create, [.. Study, "--out", folder, .. extra]);

    StudyConfig Config(string folder) => StudyConfig.Default with
    {
        Dataset = CliDataset.Name, Heads = ["softmax-ce", "softmax-mse"], Models = ["linear"], Seeds = 2, Epochs = 1, FineTuneEpochs = 1,
        LearningRates = [0.1, 0.3], TuningEpochs = 1,
    };

    [Fact]
    public void ShardsThenTheReportGiveThePlainStudysSummary()
    {
        var plain = Compare(data["plain"]);
        Assert.True(plain.Code == ExitCodes.Ok, plain.Error);

        var sharded = data["sharded"];
        var early = Compare(sharded, "--report");
        Assert.Equal(ExitCodes.UsageError, early.Code);
        Assert.StartsWith("torchloss: error: 12 run(s) of the study are not finished (tuning/", early.Error);

        // Shard 1 alone runs its tuning runs, then nothing of its share is ready: the arms wait for shard 2's tuning.
        var first = Compare(sharded, "--shard", "1/2");
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        Assert.Contains("shard 1/2: trained 2 run(s); 2 of its 6 runs finished; 4 wait for other shards' runs", first.Output);
        foreach (var shard in new[] { "2/2", "1/2", "2/2" })
        {
            var run = Compare(sharded, "--shard", shard);
            Assert.True(run.Code == ExitCodes.Ok, run.Error);
        }
        Assert.True(StudySchedule.Read(Config(sharded), sharded).IsFinished);
        var again = Compare(sharded, "--shard", "1/2");
        Assert.Contains("shard 1/2: trained 0 run(s); 6 of its 6 runs finished; the study is complete", again.Output);

        var report = Compare(sharded, "--report");
        Assert.True(report.Code == ExitCodes.Ok, report.Error);
        Assert.Equal(12, Lines(report.Output, "] reused ").Length);
        Assert.Equal(StudyReliabilityTests.Comparable(data["plain"], ignoreCommand: true), StudyReliabilityTests.Comparable(sharded, ignoreCommand: true));

        // Every arm run saved its test predictions: the report has each arm's NLL and calibration, and a reliability diagram.
        Assert.True(File.Exists(Path.Combine(sharded, "plots", "reliability_linear.svg")));
        var arms = JsonNode.Parse(File.ReadAllText(Path.Combine(sharded, StudyReport.Json)))!["arms"]!.AsArray();
        Assert.All(arms, a => Assert.True((double)a!["values"]!["test_nll_mean"]! > 0 && (double)a["values"]!["ece_mean"]! >= 0));
        Assert.All(arms, a => Assert.InRange((double)a!["values"]!["true_class_probability_first"]!, 0, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(20)]
    public void EveryRunBelongsToExactlyOneShardAndEachPhaseIsSpreadOverThem(int shards)
    {
        var steps = StudySchedule.Read(Config(data["study"]), data["study"]).Steps;
        Assert.Equal(12, steps.Count);
        Assert.Equal(steps.Count, steps.Select(s => s.Run.Folder).Distinct().Count());
        Assert.All(steps, s => Assert.InRange(s.Shard(shards), 1, shards));
        foreach (var phase in steps.GroupBy(s => s.Phase))
        {
            var perShard = phase.GroupBy(s => s.Shard(shards)).Select(g => g.Count()).ToList();
            Assert.True(perShard.Max() - perShard.Min() <= 1, $"{phase.Key}: {string.Join(",", perShard)}");
        }
        Assert.Equal([StudyPhase.Tuning, StudyPhase.Arms, StudyPhase.FineTuning], steps.Select(s => s.Phase).Distinct());
        Assert.All(steps.Where(s => s.Phase == StudyPhase.Tuning), s => Assert.Equal(StepStatus.Ready, s.Status));
        Assert.All(steps.Where(s => s.Phase != StudyPhase.Tuning), s => Assert.Equal(StepStatus.Waiting, s.Status));
    }

    [Fact]
    public void ThePlansTrainCommandReproducesItsRun()
    {
        var study = data["study"];
        var done = Compare(study);
        Assert.True(done.Code == ExitCodes.Ok, done.Error);
        var config = Config(study);
        var step = StudySchedule.Read(config, study).Steps.Single(s => s.Phase == StudyPhase.FineTuning && s.Run.Seed == 2 && s.Run.Config.Head == "softmax-mse");
        var command = ComparePlanConsole.Command(config, study, step);
        Assert.Equal("train", command[0]);
        Directory.Delete(Path.Combine(study, step.Run.Folder), recursive: true);
        Assert.Equal(StepStatus.Ready, StudySchedule.Read(config, study).Steps.Single(s => s.Run.Folder == step.Run.Folder).Status);

        // CliDataset adds its own --dataset and --data-dir.
        var args = command.Skip(1).ToList();
        var dataset = args.IndexOf("--dataset");
        args.RemoveRange(dataset, 2);
        var trained = data.Run(TrainCommand.Create, [.. args]);
        Assert.True(trained.Code == ExitCodes.Ok, trained.Error);
        Assert.True(StudySchedule.Read(config, study).IsFinished, "the run the command produced is not the planned one");
    }

    [Fact]
    public void ThePlanListsEveryRunAsJsonLines()
    {
        var (code, output, error) = Compare(data["study"], "--plan", "--json", "--shards", "3");
        Assert.True(code == ExitCodes.Ok, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(12, lines.Count);
        Assert.Equal(["tuning", "arms", "fine-tuning"], lines.Select(l => (string)l["phase"]!).Distinct());
        var arm = lines.First(l => (string)l["phase"]! == "arms");
        Assert.Equal("waiting", (string)arm["status"]!);
        Assert.Equal("the tuning of softmax-ce on linear", (string)arm["waits_for"]!);
        Assert.Contains(ComparePlanConsole.TunedPlaceholder, arm["command"]!.AsArray().Select(a => (string)a!));
        Assert.False(Directory.Exists(data["study"]), "--plan wrote something");
    }

    [Fact]
    public void SlurmScriptsChainOneJobArrayPerPhaseThenTheReport()
    {
        var study = data["study"];
        var (code, output, error) = Compare(study, "--slurm", "--shards", "3", "--partition", "gpu", "--gpus-per-task", "1", "--time", "2:00:00");
        Assert.True(code == ExitCodes.Ok, error);
        var folder = Path.Combine(study, SlurmScripts.Folder);
        Assert.Contains($"sh {Path.Combine(folder, "submit.sh")}", output);
        var shard = File.ReadAllText(Path.Combine(folder, "shard.sbatch"));
        Assert.StartsWith("#!/bin/bash\n", shard);
        foreach (var line in new[] { "#SBATCH --partition=gpu", "#SBATCH --gpus-per-task=1", "#SBATCH --time=2:00:00", "#SBATCH --cpus-per-task=1" })
            Assert.Contains(line + "\n", shard);
        Assert.Contains($"--out {study} --shard \"${{SLURM_ARRAY_TASK_ID}}/3\"", shard);
        Assert.Contains("--report", File.ReadAllText(Path.Combine(folder, "report.sbatch")));
        var submit = File.ReadAllLines(Path.Combine(folder, "submit.sh")).Where(l => l.Contains("sbatch ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "phase1=$(sbatch --parsable --array=1-3 --job-name=torchloss-tuning shard.sbatch)",
            "phase2=$(sbatch --parsable --array=1-3 --dependency=afterok:$phase1 --job-name=torchloss-arms shard.sbatch)",
            "phase3=$(sbatch --parsable --array=1-3 --dependency=afterok:$phase2 --job-name=torchloss-fine-tuning shard.sbatch)",
            "report=$(sbatch --parsable --dependency=afterok:$phase3 report.sbatch)",
        ], submit);
    }

    [Fact]
    public void AStudyWithoutFineTuningHasTwoPhases()
    {
        var study = data["study"];
        var (code, _, error) = data.Run(CompareCommand.Create, "--heads", "softmax-ce", "--models", "linear", "--fine-tune-epochs", "0", "--out", study, "--slurm");
        Assert.True(code == ExitCodes.Ok, error);
        var submit = File.ReadAllText(Path.Combine(study, SlurmScripts.Folder, "submit.sh"));
        Assert.Contains("phase2=", submit);
        Assert.DoesNotContain("phase3=", submit);
        Assert.Contains("--dependency=afterok:$phase2 report.sbatch", submit);
    }

    [Fact]
    public void APlainCompareAndShardsKeepEachOtherOut()
    {
        var study = data["study"];
        using (FolderLock.AcquireShared(study, "study folder"))
        {
            var plain = Compare(study);
            Assert.Equal(ExitCodes.UsageError, plain.Code);
            Assert.StartsWith($"torchloss: error: study folder {study} is in use by this process (PID {Environment.ProcessId}, since ", plain.Error);
        }
        using (FolderLock.Acquire(study, "study folder"))
        {
            var shard = Compare(study, "--shard", "1/2");
            Assert.Equal(ExitCodes.UsageError, shard.Code);
            Assert.StartsWith($"torchloss: error: study folder {study} is in use by this process", shard.Error);
        }
    }

    [Theory]
    [InlineData("--shard: '3/2' is not I/N with 1 <= I <= N (e.g. 1/4)", "--shard", "3/2")]
    [InlineData("--shard: 'a/b' is not I/N with 1 <= I <= N (e.g. 1/4)", "--shard", "a/b")]
    [InlineData("--time: '2h' is not a Slurm time limit", "--slurm", "--time", "2h")]
    [InlineData("--json goes with --plan or a study run, not --shard", "--json", "--shard", "1/2")]
    [InlineData("--partition goes with --slurm", "--partition", "gpu")]
    [InlineData("choose one of --plan, --report", "--plan", "--report")]
    public void DistributionOptionsThatMeanNothingAreOneLine(string expected, params string[] args)
    {
        var (code, _, error) = Compare(data["study"], args);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith($"torchloss: error: {expected}", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    static string[] Lines(string output, string containing) =>
        output.Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal)).ToArray();
}
