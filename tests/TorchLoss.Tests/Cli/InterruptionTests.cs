using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`train` and `compare` cancelled as SIGINT cancels them (through the token CliRunner passes): they stop at a step
/// boundary, say in one line how to continue, exit 130, and continuing gives what an uninterrupted command gives.
/// Serial: training seeds libtorch and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public sealed class InterruptionTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);
    readonly CancellationTokenSource cancellation = new();

    public void Dispose()
    {
        threads.Apply();
        cancellation.Dispose();
        data.Dispose();
    }

    string[] NewRun(string name) =>
    [
        "--name", name, "--runs-dir", data.RunsDirectory, "--engine", "fused", "--model", "mlp:16", "--lr", "0.3", "--momentum", "0.9",
        "--batch", "20", "--epochs", "3", "--log-every", "5", "--validation-size", "100", "--seed", "11",
    ];

    RunFolder Folder(string name) => new(Path.Combine(data.RunsDirectory, name));

    [Fact]
    public void An_interrupted_train_exits_130_and_resumes_to_the_metrics_of_an_uninterrupted_run()
    {
        var whole = data.Run(TrainCommand.Create, NewRun("whole"));
        Assert.True(whole.Code == ExitCodes.Ok, whole.Error);

        var output = new LineTrigger("epoch 1/3", cancellation.Cancel);
        var (code, _, error) = data.Run(TrainCommand.Create, output, cancellation.Token, NewRun("split"));

        var split = Folder("split");
        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.Equal($"torchloss: interrupted; resume with: torchloss train --resume {split.Path}", error.TrimEnd());
        Assert.True(File.Exists(split.File(RunFolder.IncompleteMarker)));
        Assert.False(File.Exists(split.File(RunFolder.SummaryFile)));
        Assert.Equal(1, JsonFiles.Read<TrainingState>(split.File(RunFolder.StateFile)).Epoch);

        var resumed = data.Run(TrainCommand.Create, "--resume", split.Path);
        Assert.True(resumed.Code == ExitCodes.Ok, resumed.Error);
        Assert.Contains("resuming at epoch 2", resumed.Output);
        Assert.True(split.IsComplete);
        AssertSameMetrics(MetricsLog.Read(Folder("whole").Path), MetricsLog.Read(split.Path));
    }

    [Fact]
    public void A_train_interrupted_at_its_first_step_resumes_from_the_initial_model()
    {
        cancellation.Cancel();
        var (code, _, error) = data.Run(TrainCommand.Create, new StringWriter(), cancellation.Token, NewRun("early"));
        Assert.Equal(ExitCodes.Interrupted, code);
        var early = Folder("early");
        Assert.Equal($"torchloss: interrupted; resume with: torchloss train --resume {early.Path}", error.TrimEnd());
        Assert.True(File.Exists(early.File(RunFolder.IncompleteMarker)));
        Assert.Equal(0, JsonFiles.Read<TrainingState>(early.File(RunFolder.StateFile)).Epoch);

        var resumed = data.Run(TrainCommand.Create, "--resume", early.Path);
        Assert.True(resumed.Code == ExitCodes.Ok, resumed.Error);
        Assert.Contains("epoch 1/", resumed.Output);
        Assert.True(early.IsComplete);
    }

    [Fact]
    public void An_interrupted_compare_exits_130_and_the_same_command_continues_it()
    {
        using var study = new CliDataset(train: 10_200, test: 100);
        string[] args = ["--heads", "softmax-ce", "--models", "linear", "--seeds", "1", "--epochs", "1", "--fine-tune-epochs", "0",
            "--lr-grid", "0.1", "--tuning-epochs", "1", "--out", study["study"]];

        var output = new LineTrigger("[1/2] trained", cancellation.Cancel);
        var (code, _, error) = study.Run(CompareCommand.Create, output, cancellation.Token, args);

        Assert.Equal(ExitCodes.Interrupted, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"torchloss: compare interrupted; finished runs are kept in {study["study"]}: rerun the same command to continue: torchloss compare ", line);
        Assert.DoesNotContain("Report:", output.ToString());

        var again = study.Run(CompareCommand.Create, args);
        Assert.True(again.Code == ExitCodes.Ok, again.Error);
        Assert.Contains("[1/2] reused", again.Output);
        Assert.Contains("[2/2] trained", again.Output);
        Assert.Contains("Report:", again.Output);
    }

    static void AssertSameMetrics(IReadOnlyList<MetricRecord> a, IReadOnlyList<MetricRecord> b)
    {
        Assert.Equal(a.Select(r => (r.Kind, r.Epoch, r.Step)), b.Select(r => (r.Kind, r.Epoch, r.Step)));
        foreach (var (x, y) in a.Zip(b))
            foreach (var (name, value) in x.Values.Where(v => v.Key is not ("wall_seconds" or "steps_per_second")))
                Assert.True(value.Equals(y[name]), $"{x.Kind} {x.Epoch}/{x.Step} {name}: {value} vs {y[name]}");
    }
}
