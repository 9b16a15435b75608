using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Reliability;

/// <summary>A real `torchloss compare` killed while training, while writing a run's files and while writing its report,
/// then run again with the same command: the study's summary equals an uninterrupted study's.</summary>
public class CompareFaultInjectionTests : IDisposable
{
    readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    string[] Compare(string output) =>
    [
        "compare", "--data-dir", CliProcess.MnistDataDirectory, "--train-limit", "10600", "--heads", "softmax-ce", "--models", "linear",
        "--seeds", "1", "--epochs", "2", "--fine-tune-epochs", "0", "--lr-grid", "0.1", "--tuning-epochs", "1", "--out", output,
    ];

    [MnistPresentFact]
    public void KilledAnywhereAndRunAgainTheStudyEqualsAnUninterruptedOne()
    {
        var trace = root["trace"];
        var (code, _, error) = CliProcess.Run(Compare(root["reference"]), trace: trace);
        Assert.True(code == 0, error);
        var reference = StudyReliabilityTests.Comparable(root["reference"], ignoreCommand: true);
        var points = File.ReadAllLines(trace);
        var steps = points.Count(p => p == "train:step");
        string[] faults =
        [
            $"train:step@{steps / 4}", // the tuning run, mid-epoch
            $"train:step@{steps * 3 / 4}", // the arm's run, mid-epoch
            "atomic-write:renamed:summary.json@1", // the tuning run's summary, before INCOMPLETE is removed
            // The study's report, written after each run's own report.md.
            $"atomic-write:written:report.md@{points.Count(p => p == "atomic-write:written:report.md")}",
            $"atomic-write:renamed:summary.json@{points.Count(p => p == "atomic-write:renamed:summary.json")}", // the study's summary
        ];
        Assert.All(faults, f => Assert.Contains(f[..f.IndexOf('@')], points));
        foreach (var (fault, i) in faults.Select((f, i) => (f, i)))
        {
            var study = root[$"study-{i}"];
            var killed = CliProcess.Run(Compare(study), fault + ":kill");
            Assert.True(killed.Code == 137, $"{fault}: exit {killed.Code} {killed.Error}");
            var again = CliProcess.Run(Compare(study));
            Assert.True(again.Code == 0, $"{fault}: {again.Error}");
            Assert.Empty(Directory.GetFiles(study, "*.tmp-*", SearchOption.AllDirectories));
            Assert.Equal(reference, StudyReliabilityTests.Comparable(study, ignoreCommand: true));
        }
    }
}
