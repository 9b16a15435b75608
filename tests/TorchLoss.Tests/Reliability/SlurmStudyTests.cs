using System.Diagnostics;
using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Reliability;

/// <summary>
/// A small study on MNIST submitted to a real one-node Slurm cluster with `compare --slurm` (a job array of two shards
/// per phase, chained with afterok, then the report): once the jobs are done, its summary equals a plain `compare`'s.
/// </summary>
public class SlurmStudyTests : IDisposable
{
    readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    static string[] Study(string output) =>
    [
        "compare", "--data-dir", CliProcess.MnistDataDirectory, "--train-limit", "10600", "--heads", "softmax-ce", "--models", "linear",
        "--seeds", "2", "--epochs", "1", "--fine-tune-epochs", "1", "--lr-grid", "0.1,0.3", "--tuning-epochs", "1", "--threads", "1",
        "--out", output,
    ];

    [SlurmFact(needsMnist: true)]
    public void TheStudysJobArraysOnSlurmGiveThePlainStudysSummary()
    {
        var plain = CliProcess.Run(Study(root["plain"]));
        Assert.True(plain.Code == 0, plain.Error);

        var study = root["on-slurm"];
        var scripts = CliProcess.Run([.. Study(study), "--slurm", "--shards", "2"]);
        Assert.True(scripts.Code == 0, scripts.Error);
        var submit = scripts.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("sh ", StringComparison.Ordinal))[3..];

        using var cluster = SlurmCluster.Start();
        var clock = Stopwatch.StartNew();
        var (code, output, error) = cluster.Run("sh", submit);
        Assert.True(code == 0, $"{output}{error}");
        Assert.Equal(4, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // three phases and the report
        cluster.WaitForJobs(TimeSpan.FromMinutes(10));
        var logs = Directory.GetFiles(Path.Combine(study, "slurm", "logs")).Order().ToList();
        Assert.Equal(7, logs.Count); // 2 shards x 3 phases, and the report
        Assert.True(File.Exists(Path.Combine(study, "summary.json")),
            $"no report after {clock.Elapsed.TotalSeconds:F0} s:\n{string.Join("\n", logs.Select(l => $"{Path.GetFileName(l)}: {File.ReadAllText(l)}"))}");
        Assert.Equal(StudyReliabilityTests.Comparable(root["plain"], ignoreCommand: true), StudyReliabilityTests.Comparable(study, ignoreCommand: true));
    }
}
