using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>Run and study folders prepared by a hostile or careless user: a study sent into a run folder or a folder of
/// one's own, files of a run replaced by symbolic links, a state.json edited by hand, another tool's config.json. Each
/// is one line and exit 2, and the folder (and whatever a link points to) is left as it was. Serial: training seeds
/// libtorch and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public class HostileRunFolderTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    (int Code, string Output, string Error) Train(params string[] args) => data.Run(TrainCommand.Create, args);

    (int Code, string Output, string Error) Compare(string folder) => data.Run(CompareCommand.Create,
        "--heads", "softmax-ce", "--models", "linear", "--seeds", "1", "--epochs", "1", "--fine-tune-epochs", "0",
        "--lr-grid", "0.1", "--tuning-epochs", "1", "--validation-size", "100", "--out", folder);

    /// <summary>A finished 2-epoch run.</summary>
    RunFolder FinishedRun(string name = "r")
    {
        var (code, _, error) = Train("--name", name, "--runs-dir", data.RunsDirectory, "--model", "mlp:8", "--batch", "50",
            "--epochs", "2", "--validation-size", "100");
        Assert.True(code == ExitCodes.Ok, error);
        return new RunFolder(Path.Combine(data.RunsDirectory, name));
    }

    static void AssertOneLineError((int Code, string Output, string Error) result, string expected)
    {
        Assert.True(result.Code == ExitCodes.UsageError, $"exit {result.Code}: {result.Error}");
        Assert.Equal($"torchloss: error: {expected}", result.Error.TrimEnd('\n'));
    }

    // Item 1: a study only goes into an empty or new folder, or a study's.
    public static TheoryData<string, string> NotStudyFolders() => new()
    {
        { "run", "it holds config.json: it is a training run's folder" },
        { "report.md", "it holds report.md but no tuning/ runs" },
        { "summary.json", "it holds summary.json but no tuning/ runs" },
        { "tuning/ and a run's summary.json", "its summary.json is not a study's" },
        { "notes.txt", "it holds notes.txt, which no study writes" },
    };

    [Theory]
    [MemberData(nameof(NotStudyFolders))]
    public void AStudyIsRefusedAFolderThatIsNotEmptyAndNotAStudys(string content, string problem)
    {
        var folder = data["target"];
        switch (content)
        {
            case "run": folder = FinishedRun().Path; break;
            case "tuning/ and a run's summary.json":
                Directory.CreateDirectory(Path.Combine(folder, "tuning"));
                File.Copy(FinishedRun().File(RunFolder.SummaryFile), Path.Combine(folder, "summary.json"));
                break;
            default:
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, content), "{\"mine\": true}\n");
                break;
        }
        var before = FolderSnapshot.Of(folder);
        AssertOneLineError(Compare(folder), $"study folder {folder} is neither empty nor a study's ({problem}); " +
                                            "give compare --out an empty or new folder, or an earlier study's folder to continue it");
        Assert.Equal(before, FolderSnapshot.Of(folder)); // not even a lock file
    }

    [Fact]
    public void AStudyRunAgainInItsOwnFolderReusesItsRunsAndOneWithALinkIsRefused()
    {
        var study = data["study"];
        var first = Compare(study);
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        var again = Compare(study);
        Assert.True(again.Code == ExitCodes.Ok, again.Error);
        Assert.Contains("[2/2] reused", again.Output);

        var outside = Directory.CreateDirectory(data["outside"]).FullName;
        Directory.Move(Path.Combine(study, "plots"), Path.Combine(outside, "plots"));
        Directory.CreateSymbolicLink(Path.Combine(study, "plots"), Path.Combine(outside, "plots"));
        var before = FolderSnapshot.Of(study, outside);
        AssertOneLineError(Compare(study), $"study folder {study}: plots is a symbolic link (to {Path.Combine(outside, "plots")}); " +
                                           "TorchLoss never writes through a link in a folder it writes: replace the link by a copy of the file (or remove it), then run again");
        Assert.Equal(before, FolderSnapshot.Of(study, outside));
    }

    // Item 2: a run folder holding a symbolic link is refused before anything is written.
    [Theory]
    [InlineData("metrics.csv")]
    [InlineData("steps.csv")]
    [InlineData("metrics.jsonl")]
    [InlineData("checkpoints")]
    public void ResumingARunWithASymbolicLinkInItChangesNothingThereOrWhereItPoints(string entry)
    {
        var run = FinishedRun();
        var outside = Directory.CreateDirectory(data["outside"]).FullName;
        var target = Path.Combine(outside, entry);
        if (Directory.Exists(run.File(entry)))
        {
            Directory.Move(run.File(entry), target);
            Directory.CreateSymbolicLink(run.File(entry), target);
        }
        else
        {
            File.Move(run.File(entry), target);
            File.CreateSymbolicLink(run.File(entry), target);
        }
        var before = FolderSnapshot.Of(run.Path, outside);
        AssertOneLineError(Train("--resume", run.Path, "--epochs", "3"),
            $"run folder {run.Path}: {entry} is a symbolic link (to {target}); TorchLoss never writes through a link in a folder it writes: " +
            "replace the link by a copy of the file (or remove it), then run again");
        Assert.Equal(before, FolderSnapshot.Of(run.Path, outside));
    }

    // Item 13: state.json is checked before --resume trusts it.
    public static TheoryData<string, string, string> EditedStates() => new()
    {
        { "epoch", "-1", "epoch is -1, below 0" },
        { "model_checkpoint", "\"../x.params\"", "model_checkpoint is '../x.params', not checkpoints/model-epoch2.params (epoch 2's checkpoint inside the run folder)" },
        { "optimizer_checkpoint", "\"/etc/passwd\"", "optimizer_checkpoint is '/etc/passwd', not checkpoints/optimizer-epoch2.params (epoch 2's checkpoint inside the run folder)" },
        { "best_epoch", "99", "best_epoch is 99, outside 1 to its epoch 2" },
        { "best_validation_error", "-3", "best_validation_error is -3, outside [0, 1] (errors are fractions)" },
        { "final_test_error", "1.5", "final_test_error is 1.5, outside [0, 1] (errors are fractions)" },
        { "learning_rate", "0", "learning_rate is 0, not a positive number" },
        { "training_seconds", "-1", "training_seconds is -1, not a number >= 0" },
        { "epochs_without_improvement", "7", "epochs_without_improvement is 7, outside 0 to its epoch 2" },
        { "step", "-5", "step -5 or optimizer_steps 36 is below 0" },
        { "best_epoch", "null", "best_epoch and best_validation_error must be given together" },
        // An epoch past the metrics, with its checkpoint's names: the history up to it was never recorded.
        { "epoch", "5", "it names epoch 5, but metrics.jsonl records epochs [0, 1, 2], not every epoch from 0 to 5" },
        // The checkpoint it names is gone.
        { "checkpoint deleted", "", "it names checkpoints/model-epoch2.params, which is missing or not a file" },
    };

    [Theory]
    [MemberData(nameof(EditedStates))]
    public void AnEditedStateIsRefusedOnResumeAndNothingChanges(string field, string value, string problem)
    {
        var run = FinishedRun();
        var path = run.File(RunFolder.StateFile);
        var state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (field == "checkpoint deleted") File.Delete(run.File((string)state["model_checkpoint"]!));
        else state[field] = JsonNode.Parse(value);
        if (field == "epoch" && value == "5")
        {
            state["model_checkpoint"] = "checkpoints/model-epoch5.params";
            state["optimizer_checkpoint"] = "checkpoints/optimizer-epoch5.params";
            state["epochs_without_improvement"] = 0;
            foreach (var kind in new[] { "model", "optimizer" })
                File.Copy(run.File($"checkpoints/{kind}-epoch2.params"), run.File($"checkpoints/{kind}-epoch5.params"));
        }
        if (field == "step") state["optimizer_steps"] = 36;
        File.WriteAllText(path, state.ToJsonString());
        var before = FolderSnapshot.Of(run.Path);
        AssertOneLineError(Train("--resume", run.Path, "--epochs", "6"),
            $"{path} cannot be trusted: {problem}; it was edited or damaged: restore it, or start the run again (without --resume)");
        Assert.Equal(before, FolderSnapshot.Of(run.Path));
    }

    [Fact]
    public void AStudyRedoesAnInterruptedRunWhoseStateCannotBeTrusted()
    {
        var study = data["study"];
        Assert.Equal(ExitCodes.Ok, Compare(study).Code);
        var run = new RunFolder(Path.Combine(study, "runs", "linear_softmax-ce", "seed-1"));
        run.MarkIncomplete();
        var state = JsonNode.Parse(File.ReadAllText(run.File(RunFolder.StateFile)))!.AsObject();
        state["epoch"] = -1;
        File.WriteAllText(run.File(RunFolder.StateFile), state.ToJsonString());

        var again = Compare(study);
        Assert.True(again.Code == ExitCodes.Ok, again.Error);
        Assert.Contains($"[2/2] redoing {Path.Combine("runs", "linear_softmax-ce", "seed-1")}: it cannot be continued ({run.File(RunFolder.StateFile)} cannot be trusted: epoch is -1, below 0;", again.Output);
        Assert.True(run.IsComplete);
        Assert.Equal(1, run.ReadState()!.Epoch);
    }

    // Item 15: another tool's config.json is named for what it is.
    [Theory]
    [InlineData("eval", """{"architectures": ["BertModel"]}""")]
    [InlineData("eval", "{}")]
    [InlineData("resume", """{"architectures": ["BertModel"]}""")]
    [InlineData("resume", "{}")]
    [InlineData("resume", "[1, 2]")]
    [InlineData("resume", """{"config": {"head": "softmax-ce"}}""")]
    public void AnotherToolsConfigJsonIsNotARun(string command, string json)
    {
        var folder = Directory.CreateDirectory(data["bert"]).FullName;
        File.WriteAllText(Path.Combine(folder, RunFolder.ConfigFile), json);
        var before = FolderSnapshot.Of(folder);
        var result = command == "eval" ? data.Run(EvalCommand.Create, folder) : Train("--resume", folder, "--epochs", "3");
        AssertOneLineError(result, $"cannot {(command == "eval" ? "evaluate" : "resume")} {folder}: it is not a TorchLoss run folder " +
                                   "(its config.json is not a TorchLoss run's: it has no \"config\" and \"environment\" objects)");
        Assert.Equal(before, FolderSnapshot.Of(folder));
    }
}
