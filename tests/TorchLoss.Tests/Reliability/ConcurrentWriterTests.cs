using System.Text.RegularExpressions;
using TorchLoss.Runs;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>Two real `torchloss` processes writing one run folder or one study folder: the second is refused in one
/// line naming the first's PID, and the first finishes unharmed. The first is held in place by stopping itself
/// (SIGSTOP through a fault point), so the overlap is certain rather than timed.</summary>
public partial class ConcurrentWriterTests : IDisposable
{
    readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    string Runs => root["runs"];

    string[] Train(string name) => CliProcess.SmallTrain(Runs, name);

    string[] Compare(string output) =>
    [
        "compare", "--data-dir", CliProcess.MnistDataDirectory, "--train-limit", "10600", "--heads", "softmax-ce", "--models", "linear",
        "--seeds", "1", "--epochs", "1", "--fine-tune-epochs", "0", "--lr-grid", "0.1", "--tuning-epochs", "1", "--out", output,
    ];

    [GeneratedRegex(@"^torchloss: error: (?<kind>run|study) folder (?<folder>\S+) is in use by process (?<pid>\d+) \(since [0-9: -]+\); wait for it to finish or stop it$")]
    private static partial Regex InUse();

    static void AssertRefusedBy(CliProcess holder, (int Code, string Output, string Error) second, string kind, string folder)
    {
        Assert.True(second.Code == 2, $"exit {second.Code}: {second.Error}");
        var match = InUse().Match(Assert.Single(second.Error.TrimEnd('\n').Split('\n')));
        Assert.True(match.Success, second.Error);
        Assert.Equal((kind, folder, holder.Id.ToString()), (match.Groups["kind"].Value, match.Groups["folder"].Value, match.Groups["pid"].Value));
    }

    [MnistPresentFact]
    public void ASecondTrainOrResumeOfOneRunFolderIsRefusedAndTheFirstFinishes()
    {
        var (referenceCode, _, referenceError) = CliProcess.Run(Train("reference"));
        Assert.True(referenceCode == 0, referenceError);
        var run = new RunFolder(Path.Combine(Runs, "same"));

        using (var first = CliProcess.Start(Train("same"), fault: "train:step@3:stop"))
        {
            first.WaitUntilStopped();
            AssertRefusedBy(first, CliProcess.Run(Train("same")), "run", run.Path);
            AssertRefusedBy(first, CliProcess.Run(["train", "--resume", run.Path, "--data-dir", CliProcess.MnistDataDirectory]), "run", run.Path);
            first.Continue();
            var (code, _, error) = first.Wait();
            Assert.True(code == 0, error);
        }
        Assert.Equal(RunFolderReliabilityTests.Comparable(new RunFolder(Path.Combine(Runs, "reference"))), RunFolderReliabilityTests.Comparable(run));
    }

    [MnistPresentFact]
    public void ASecondCompareOfOneStudyFolderIsRefusedAndTheFirstFinishes()
    {
        var study = root["study"];
        using var first = CliProcess.Start(Compare(study), fault: "train:step@2:stop");
        first.WaitUntilStopped();
        AssertRefusedBy(first, CliProcess.Run(Compare(study)), "study", study);
        first.Continue();
        var (code, output, error) = first.Wait();
        Assert.True(code == 0, error);
        Assert.Contains("Report: ", output);
    }

    [MnistPresentFact]
    public void APlainCompareIsRefusedNamingTheShardThatHoldsTheStudy()
    {
        var study = root["study"];
        using var shard = CliProcess.Start([.. Compare(study), "--shard", "1/1"], fault: "train:step@2:stop");
        shard.WaitUntilStopped();
        AssertRefusedBy(shard, CliProcess.Run(Compare(study)), "study", study);
        shard.Continue();
        var (code, _, error) = shard.Wait();
        Assert.True(code == 0, error);
    }
}
