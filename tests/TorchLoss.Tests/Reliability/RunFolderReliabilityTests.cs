using System.CommandLine;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>`train` and `compare` against folders that are taken, interrupted, damaged or resumed with other settings.
/// Serial: training seeds libtorch and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public class RunFolderReliabilityTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    (int Code, string Output, string Error) Train(params string[] args) => data.Run(TrainCommand.Create, args);

    string[] NewRun(string name, int epochs = 2, string lr = "0.3") =>
    [
        "--name", name, "--runs-dir", data.RunsDirectory, "--model", "mlp:16", "--lr", lr, "--momentum", "0.9", "--batch", "20",
        "--epochs", epochs.ToString(), "--log-every", "5", "--validation-size", "100", "--seed", "11",
    ];

    RunFolder Folder(string name) => new(Path.Combine(data.RunsDirectory, name));

    static void AssertOneLineError(int code, string error, string expected)
    {
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"torchloss: error: {expected}", error.TrimEnd('\n'));
    }

    [Fact]
    public void ARunFolderInUseIsRefusedNamingItsHolderAndLeftAlone()
    {
        var run = Folder("taken");
        using (run.Claim())
        {
            var (code, output, error) = Train(NewRun("taken"));
            Assert.Equal(ExitCodes.UsageError, code);
            Assert.Single(error.TrimEnd('\n').Split('\n'));
            Assert.StartsWith($"torchloss: error: run folder {run.Path} is in use by this process (PID {Environment.ProcessId}", error);
            Assert.Equal([FolderLock.HolderFile, FolderLock.LockFile], Directory.GetFileSystemEntries(run.Path).Select(Path.GetFileName).Order());
        }
        var free = Train(NewRun("taken"));
        Assert.True(free.Code == ExitCodes.Ok, free.Error);
        Assert.True(run.IsComplete);
    }

    [Fact]
    public void AStudyFolderInUseIsRefused()
    {
        var study = data["study"];
        using var claim = FolderLock.Acquire(study, "study folder");
        var (code, _, error) = data.Run(CompareCommand.Create, "--heads", "softmax-ce", "--models", "linear", "--seeds", "1",
            "--epochs", "1", "--fine-tune-epochs", "0", "--lr-grid", "0.1", "--tuning-epochs", "1", "--out", study);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith($"torchloss: error: study folder {study} is in use by this process", error);
    }

    [Fact]
    public void ResumeRefusesOptionsThatContradictTheRunAndAcceptsThoseThatDoNot()
    {
        var first = Train(NewRun("settled", epochs: 1));
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        var run = Folder("settled");
        var config = run.File(RunFolder.ConfigFile);

        var lr = Train("--resume", run.Path, "--epochs", "2", "--lr", "5");
        AssertOneLineError(lr.Code, lr.Error, $"--lr 5 contradicts the run's setting (0.3) in {config}; a resumed run keeps its settings: start a new run to change them");
        var head = Train("--resume", run.Path, "--epochs", "2", "--head", "sigmoid-mse");
        AssertOneLineError(head.Code, head.Error, $"--head sigmoid-mse contradicts the run's setting (softmax-ce) in {config}; a resumed run keeps its settings: start a new run to change them");
        var name = Train("--resume", run.Path, "--name", "other");
        AssertOneLineError(name.Code, name.Error, $"--name cannot be combined with --resume: the run stays in {run.Path}");
        var complete = Train("--resume", run.Path);
        AssertOneLineError(complete.Code, complete.Error, $"{run.Path} is complete (1 epochs); pass --epochs N with N > 1 to train it further");

        // Repeating the run's own settings is not a contradiction; thread counts may change.
        var more = Train("--resume", run.Path, "--epochs", "3", "--lr", "0.3", "--model", "mlp:16", "--threads", "1");
        Assert.True(more.Code == ExitCodes.Ok, more.Error);
        Assert.Contains("resuming at epoch 2", more.Output);
        var fewer = Train("--resume", run.Path, "--epochs", "1");
        AssertOneLineError(fewer.Code, fewer.Error, $"--epochs 1: {run.Path} already has 3 epochs; give the new total (more than 3) to train further");
    }

    [Fact]
    public void EveryTrainOptionIsEitherASettingOfTheRunOrAllowedOnResume()
    {
        var options = new TrainOptions();
        // --name, --runs-dir, --out and --config are refused with --resume; the others may be given.
        string[] allowed = ["--epochs", "--threads", "--blas-threads", "--data-dir", "--json", "--png", "--resume", "--name", "--runs-dir", "--out", "--config"];
        var settings = options.Settings().Select(s => s.Option.Name).ToList();
        Assert.Equal(options.All().Select(o => o.Name).Order(), settings.Concat(allowed).Order());
    }

    [Fact]
    public void ARunInterruptedBeforeItsFirstCheckpointResumesFromTheStart()
    {
        var reference = Train(NewRun("reference"));
        Assert.True(reference.Code == ExitCodes.Ok, reference.Error);

        // What a run killed while recording its initial model leaves: its config, the marker, part of a metrics log.
        var run = Folder("early");
        Directory.CreateDirectory(run.Path);
        File.Copy(Folder("reference").File(RunFolder.ConfigFile), run.File(RunFolder.ConfigFile));
        run.MarkIncomplete();
        File.WriteAllText(run.File(MetricsLog.JsonLinesFile), "{\"kind\":\"epoch\",\"epo");
        File.WriteAllText(run.File("state.json.tmp-99999"), "{");

        var resumed = Train("--resume", run.Path);
        Assert.True(resumed.Code == ExitCodes.Ok, resumed.Error);
        Assert.True(run.IsComplete);
        Assert.Empty(Directory.GetFiles(run.Path, "*.tmp-*", SearchOption.AllDirectories));
        Assert.Equal(Comparable(Folder("reference")), Comparable(run));
    }

    [Fact]
    public void AFineTuningRunInterruptedBeforeItsFirstCheckpointStartsOverFromItsInitialWeights()
    {
        var start = Train(NewRun("start", epochs: 1));
        Assert.True(start.Code == ExitCodes.Ok, start.Error);
        string[] fineTune = ["--head", "softmax-mse", "--init-from", Folder("start").File(RunFolder.ModelFile)];
        var reference = Train([.. NewRun("fine-tuned", epochs: 1), .. fineTune]);
        Assert.True(reference.Code == ExitCodes.Ok, reference.Error);

        var run = Folder("fine-tuned-early");
        Directory.CreateDirectory(run.Path);
        File.Copy(Folder("fine-tuned").File(RunFolder.ConfigFile), run.File(RunFolder.ConfigFile));
        run.MarkIncomplete();
        var resumed = Train("--resume", run.Path);
        Assert.True(resumed.Code == ExitCodes.Ok, resumed.Error);
        Assert.Equal(Comparable(Folder("fine-tuned")), Comparable(run));
    }

    [Fact]
    public void AFolderInterruptedBeforeItsConfigIsStartedAgainByTheSameCommand()
    {
        var run = Folder("unstarted");
        Directory.CreateDirectory(run.Path);
        run.MarkIncomplete();
        File.WriteAllText(run.File("config.json.tmp-99999"), "{");
        var resume = Train("--resume", run.Path);
        AssertOneLineError(resume.Code, resume.Error,
            $"{run.Path} holds no run (config.json is missing): it was interrupted before it started, or is not a run folder; start the run again without --resume");
        var again = Train(NewRun("unstarted"));
        Assert.True(again.Code == ExitCodes.Ok, again.Error);
        Assert.True(run.IsComplete);
    }

    [Fact]
    public void TemporaryFilesOfAKilledWriterAreGoneAfterTheResume()
    {
        var first = Train(NewRun("leftovers", epochs: 1));
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        var run = Folder("leftovers");
        run.MarkIncomplete();
        File.WriteAllText(run.File("model.params.tmp-4242"), "partial");
        File.WriteAllText(run.File(Path.Combine(Checkpoint.Directory, "model-epoch2.params.tmp-4242")), "partial");
        var resumed = Train("--resume", run.Path, "--epochs", "2");
        Assert.True(resumed.Code == ExitCodes.Ok, resumed.Error);
        Assert.Empty(Directory.GetFiles(run.Path, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void DivergenceInTheFirstEpochKeepsTheInitialModelAndWritesOnlyNumbersOrNull()
    {
        var (code, output, _) = Train([.. NewRun("diverged", epochs: 2, lr: "1e6"), "--head", "logit-mse", "--engine", "autograd"]);
        Assert.Equal(ExitCodes.Failed, code);
        var run = Folder("diverged");
        var summary = JsonFiles.Read<RunSummary>(run.File(RunFolder.SummaryFile));
        Assert.Equal(RunStatus.Diverged, summary.Status);
        Assert.Equal(0, summary.Epochs);
        Assert.Contains("the initial model (epoch 0) is kept as the last good one", summary.Message);
        Assert.Contains("the initial model (epoch 0) is kept", output);

        var initial = MetricsLog.Read(run.Path).Single(r => r.Kind == MetricRecord.EpochKind);
        Assert.Equal(0, initial.Epoch);
        Assert.Equal(initial["test_error"], summary.FinalTestError);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Diverged: test error {initial["test_error"]:P2} of the initial model. "), output);
        Assert.Equal(0, JsonFiles.Read<TrainingState>(run.File(RunFolder.StateFile)).Epoch);
        Assert.Equal(File.ReadAllBytes(run.File(Path.Combine(Checkpoint.Directory, "model-epoch0.params"))), File.ReadAllBytes(run.File(RunFolder.ModelFile)));

        var text = File.ReadAllText(run.File(RunFolder.SummaryFile));
        Assert.DoesNotMatch("\": \"-?(NaN|Infinity)\"", text);
        Assert.Contains("\"final_train_loss\": null", text);
    }

    /// <summary>What must not differ between two runs of the same settings: metrics without timings, and the models.</summary>
    internal static string Comparable(RunFolder run)
    {
        var lines = MetricsLog.Read(run.Path).Select(r => $"{r.Kind} {r.Epoch} {r.Step} " +
            string.Join(' ', r.Values.Where(v => !Timing(v.Key)).Select(v => $"{v.Key}={v.Value:R}")));
        var models = new[] { RunFolder.ModelFile, RunFolder.BestModelFile }.Where(f => File.Exists(run.File(f)))
            .Select(f => $"{f} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(run.File(f))))}");
        var files = Directory.GetFiles(run.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(run.Path, f))
            .Where(f => !f.StartsWith("events.out.tfevents.", StringComparison.Ordinal) && !FolderLock.IsLockFile(f)).Order();
        return string.Join('\n', lines.Concat(models).Append(string.Join(' ', files)));
    }

    static bool Timing(string name) => name is "wall_seconds" or "steps_per_second" or "seconds";
}
