using TorchLoss.Runs;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>`torchloss train` on a disk that fills up: one line and exit 2, nothing left that passes as valid, and the
/// run continues once there is room, ending equal to a run that never ran out of space.</summary>
public class DiskFullTests : IDisposable
{
    readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    static string[] Train(string runs, string name) => CliProcess.SmallTrain(runs, name);

    string Reference()
    {
        var (code, _, error) = CliProcess.Run(Train(root["runs"], "reference"));
        Assert.True(code == 0, error);
        return RunFolderReliabilityTests.Comparable(new RunFolder(Path.Combine(root["runs"], "reference")));
    }

    // A finished run folder holds about 170 KB: 64 KB fills during the first checkpoint, 160 KB in the second epoch.
    [TmpfsTheory]
    [InlineData("64k")]
    [InlineData("160k")]
    public void ARealFullDiskIsOneLineAndTheRunContinuesOnceThereIsRoom(string size)
    {
        var reference = Reference();
        var disk = Directory.CreateDirectory(root["disk"]).FullName;
        Tmpfs.Mount(disk, size);
        try
        {
            var run = new RunFolder(Path.Combine(disk, "full"));
            AssertStopsAndContinues(run, CliProcess.Run(Train(disk, "full")), reference, () => Tmpfs.Resize(disk, "16m"));
        }
        finally { Tmpfs.Unmount(disk); }
    }

    [MnistPresentTheory]
    [InlineData("atomic-write:opened:state.json@2")]
    [InlineData("atomic-write:opened:model.params@3")]
    [InlineData("atomic-write:opened:summary.json@1")]
    [InlineData("atomic-write:opened:report.md@1")]
    [InlineData("atomic-write:written:error.svg@1")]
    public void AnInjectedFullDiskIsOneLineAndTheRunContinues(string point)
    {
        var reference = Reference();
        var run = new RunFolder(Path.Combine(root["runs"], "injected"));
        AssertStopsAndContinues(run, CliProcess.Run(Train(root["runs"], "injected"), point + ":enospc"), reference, () => { });
    }

    static void AssertStopsAndContinues(RunFolder run, (int Code, string Output, string Error) failed, string reference, Action makeRoom)
    {
        Assert.True(failed.Code == 2, $"exit {failed.Code}: {failed.Error}");
        var line = Assert.Single(failed.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("torchloss: error: No space left on device", line);
        Assert.EndsWith($"; free some space, then continue with: torchloss train --resume {run.Path}", line);
        Assert.False(run.IsComplete);
        TrainFaultInjectionTests.AssertNothingPassesAsValidThatIsNot(run);

        makeRoom();
        var (code, output, error) = CliProcess.Run(["train", "--resume", run.Path, "--data-dir", CliProcess.MnistDataDirectory]);
        Assert.True(code == 0, $"exit {code}: {error}{output}");
        Assert.Equal(reference, RunFolderReliabilityTests.Comparable(run));
    }
}
