using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`torchloss train` run to the end on a small dataset, as a user runs it. Serial: training seeds libtorch's
/// global generator and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public class TrainCommandRunTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    (int Code, string Output, string Error) Train(params string[] args) => data.Run(TrainCommand.Create, args);

    string[] NewRun(string name, string engine, string head = "softmax-ce", int epochs = 2) =>
    [
        "--name", name, "--runs-dir", data.RunsDirectory, "--engine", engine, "--head", head, "--model", "mlp:16",
        "--lr", "0.3", "--momentum", "0.9", "--batch", "20", "--epochs", epochs.ToString(), "--log-every", "5",
        "--validation-size", "100", "--seed", "11",
    ];

    RunFolder Folder(string name) => new(Path.Combine(data.RunsDirectory, name));

    [Fact]
    public void OutNamesTheRunFolderItselfAndRefusesRunsDirOrNameBesideIt()
    {
        var folder = Path.Combine(data.RunsDirectory, "nested", "my-run");
        string[] settings = ["--head", "softmax-ce", "--model", "linear", "--lr", "0.3", "--batch", "20", "--epochs", "1", "--validation-size", "100"];
        var result = Train(["--out", folder, .. settings]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.True(new RunFolder(folder).IsComplete);
        foreach (var other in new[] { new[] { "--name", "x" }, new[] { "--runs-dir", data.RunsDirectory } })
        {
            var refused = Train(["--out", Path.Combine(data.RunsDirectory, "other"), .. other, .. settings]);
            Assert.Equal(ExitCodes.UsageError, refused.Code);
            Assert.Contains($"--out names the run folder itself: drop {other[0]}", refused.Error);
            Assert.False(Directory.Exists(Path.Combine(data.RunsDirectory, "other")));
        }
        var resumed = Train(["--resume", folder, "--out", folder]);
        Assert.Equal(ExitCodes.UsageError, resumed.Code);
        Assert.Contains("--out cannot be combined with --resume", resumed.Error);
    }

    [Theory]
    [InlineData("softmax-ce")]
    [InlineData("sigmoid-mse")]
    public void ClosedFormRunsRecordsItselfAndMatchesAutograd(string head)
    {
        var closed = Train(NewRun("closed", "closed-form", head));
        Assert.True(closed.Code == ExitCodes.Ok, closed.Error);
        Assert.Contains("device cpu, closed-form engine,", closed.Output);
        var autograd = Train(NewRun("autograd", "autograd", head));
        Assert.True(autograd.Code == ExitCodes.Ok, autograd.Error);

        var config = JsonFiles.Read<RunConfigFile>(Folder("closed").File(RunFolder.ConfigFile));
        Assert.Equal("closed-form", config.Config.Engine);
        Assert.Equal("closed-form", config.Environment.Engine);
        Assert.Null(config.Environment.EngineNote);
        Assert.True(Folder("closed").IsComplete);

        var a = MetricsLog.Read(Folder("autograd").Path);
        var c = MetricsLog.Read(Folder("closed").Path);
        Assert.Equal(a.Select(r => (r.Kind, r.Epoch, r.Step)), c.Select(r => (r.Kind, r.Epoch, r.Step)));
        Assert.Equal(3, c.Count(r => r.Kind == MetricRecord.EpochKind)); // the initial model and two epochs
        Assert.Equal(4, c.Count(r => r.Kind == MetricRecord.StepsKind)); // 10 steps an epoch, logged every 5
        foreach (var (x, y) in a.Zip(c))
        {
            Assert.Equal(x.Values.Select(v => v.Key), y.Values.Select(v => v.Key));
            foreach (var (name, value) in x.Values.Where(v => v.Key is not ("wall_seconds" or "steps_per_second")))
                Assert.True(double.IsNaN(value) ? double.IsNaN(y[name]) : Math.Abs(value - y[name]) <= 1e-6,
                    $"{x.Kind} {x.Epoch}/{x.Step} {name}: autograd {value}, closed-form {y[name]}");
        }
        // Training happened: equal numbers that are not those of an untrained model.
        var epochs = c.Where(r => r.Kind == MetricRecord.EpochKind).ToList();
        Assert.True(epochs[^1]["validation_loss"] < 0.8 * epochs[0]["validation_loss"],
            $"validation loss {epochs[0]["validation_loss"]} -> {epochs[^1]["validation_loss"]}");
    }

    [Fact]
    public void ARunOfTheOldBindingIsNotResumed()
    {
        var first = Train(NewRun("old", "autograd", epochs: 1));
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        var run = Folder("old");
        var configPath = run.File(RunFolder.ConfigFile);
        var current = File.ReadAllText(configPath);

        // config.json as the old libtorch 1.13 binding wrote it: no format_version.
        var json = JsonNode.Parse(current)!.AsObject();
        Assert.True(json.Remove("format_version"));
        File.WriteAllText(configPath, json.ToJsonString());
        var files = Snapshot(run);

        var (code, output, error) = Train("--resume", run.Path, "--epochs", "2");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"torchloss: error: cannot resume {run.Path}: it was written by the old libtorch 1.13 binding " +
                     $"(config.json format 1; this TorchLoss writes format {RunConfigFile.CurrentFormatVersion}); start a new run instead (without --resume)",
            error.TrimEnd());
        Assert.Equal("", output);
        Assert.Equal(files, Snapshot(run)); // nothing in the folder was touched

        // The same folder in the current format resumes.
        File.WriteAllText(configPath, current);
        var resumed = Train("--resume", run.Path, "--epochs", "2");
        Assert.True(resumed.Code == ExitCodes.Ok, resumed.Error);
        Assert.Contains("resuming at epoch 2", resumed.Output);
    }

    [Fact]
    public void TheLibraryRefusesToResumeARunOfTheOldBindingToo()
    {
        var first = Train(NewRun("old-library", "autograd", epochs: 1));
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        var run = Folder("old-library");
        var file = JsonFiles.Read<RunConfigFile>(run.File(RunFolder.ConfigFile));
        JsonFiles.Write(run.File(RunFolder.ConfigFile), file with { FormatVersion = 1 });

        using var classification = TrainingData.Load(file.Config, data.Store);
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(file.Config with { Epochs = 2 }, classification, run).Resume());
        Assert.Contains("old libtorch 1.13 binding", e.Message);
        Assert.False(File.Exists(run.File(RunFolder.IncompleteMarker)));
    }

    static Dictionary<string, string> Snapshot(RunFolder run) =>
        Directory.GetFiles(run.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(run.Path, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
