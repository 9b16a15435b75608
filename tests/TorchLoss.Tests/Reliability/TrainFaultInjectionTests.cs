using System.Text.RegularExpressions;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>
/// A real `torchloss train` (a child process on a slice of MNIST) killed at every kind of point it passes (inside
/// every atomic write, between a checkpoint's files, mid-epoch), then continued as INCOMPLETE says: the result equals
/// an uninterrupted run's, bit for bit, and no temporary file is left.
/// </summary>
public partial class TrainFaultInjectionTests : IDisposable
{
    readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    string Runs => root["runs"];

    string[] Train(string name) => CliProcess.SmallTrain(Runs, name);

    RunFolder Folder(string name) => new(Path.Combine(Runs, name));

    /// <summary>The reference run, and every point it passed, in order.</summary>
    (string Comparable, List<string> Points) Reference()
    {
        var trace = root["trace"];
        var (code, _, error) = CliProcess.Run(Train("reference"), trace: trace);
        Assert.True(code == 0, error);
        return (RunFolderReliabilityTests.Comparable(Folder("reference")), File.ReadAllLines(trace).ToList());
    }

    /// <summary>Two faults per kind of point (epoch numbers aside): at its middle and its last occurrence (the last epoch's
    /// files, after which nothing rewrites them), plus the first step.</summary>
    static List<string> KillPoints(List<string> points)
    {
        var chosen = new List<int>();
        // The plots a run writes at its end are one kind of point: they are written alike, one after another.
        foreach (var group in points.Select((p, i) => (p, i)).GroupBy(x => Plot().Replace(Digits().Replace(x.p, "#"), "PLOT.svg")))
        {
            var occurrences = group.Select(x => x.i).ToList();
            chosen.AddRange([occurrences[occurrences.Count / 2], occurrences[^1]]);
            if (group.Key == "train:step") chosen.Add(occurrences[0]);
        }
        return chosen.Distinct().Order().Select(i => $"{points[i]}@{points.Take(i + 1).Count(p => p == points[i])}").ToList();
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"[^:]+\.svg$")]
    private static partial Regex Plot();

    [MnistPresentFact]
    public void KilledAtEveryKindOfPointAndContinuedItEqualsAnUninterruptedRun()
    {
        var (reference, points) = Reference();
        var faults = KillPoints(points);
        Assert.Contains(faults, f => f.StartsWith("atomic-write:written:state.json@", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("atomic-write:renamed:summary.json@", StringComparison.Ordinal));
        Assert.True(faults.Count >= 40, string.Join(", ", faults));

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(faults.Select((f, i) => (f, i)), new ParallelOptions { MaxDegreeOfParallelism = 2 }, x =>
        {
            try { KillAndContinue($"killed-{x.i}", x.f + ":kill", reference); }
            catch (Exception e) { failures.Add($"{x.f}: {e.Message}"); }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
    }

    [MnistPresentTheory]
    [InlineData("train:step@5")]
    [InlineData("train:step@13")]
    [InlineData("atomic-write:written:state.json@2")]
    public void InterruptedWithSigintAndContinuedItEqualsAnUninterruptedRun(string point)
    {
        var (reference, _) = Reference();
        KillAndContinue("interrupted", point + ":int", reference);
    }

    void KillAndContinue(string name, string fault, string reference)
    {
        var run = Folder(name);
        var (code, _, error) = CliProcess.Run(Train(name), fault);
        Assert.True(code != 0, $"the fault did not stop the run (exit {code})");
        Assert.DoesNotContain("   at ", error);
        if (fault.EndsWith(":int", StringComparison.Ordinal))
        {
            Assert.Equal(130, code);
            Assert.Equal($"torchloss: interrupted; resume with: torchloss train --resume {run.Path}", error.TrimEnd('\n'));
        }
        else Assert.Equal(137, code); // 128 + SIGKILL
        AssertNothingPassesAsValidThatIsNot(run);

        // What the folder says to do: INCOMPLETE names --resume; a folder without config.json never started.
        var again = File.Exists(run.File(RunFolder.ConfigFile)) ? ["train", "--resume", run.Path, "--data-dir", CliProcess.MnistDataDirectory] : Train(name);
        var (resumed, output, resumeError) = CliProcess.Run(again);
        Assert.True(resumed == 0, $"continuing failed (exit {resumed}): {resumeError}{output}");
        Assert.True(run.IsComplete);
        Assert.Empty(Directory.GetFiles(run.Path, $"*{AtomicFile.TemporaryMarker}*", SearchOption.AllDirectories));
        Assert.Equal(reference, RunFolderReliabilityTests.Comparable(run));
    }

    /// <summary>A folder left by a fault: marked INCOMPLETE once it has a config.json, and every file it names whole.</summary>
    internal static void AssertNothingPassesAsValidThatIsNot(RunFolder run)
    {
        if (!Directory.Exists(run.Path)) return;
        if (File.Exists(run.File(RunFolder.ConfigFile)))
            Assert.True(File.Exists(run.File(RunFolder.IncompleteMarker)) || run.IsComplete, "a run folder neither complete nor marked INCOMPLETE");
        if (run.IsComplete) Assert.Null(RunConsistency.Problem(run));
        foreach (var file in new[] { RunFolder.ModelFile, RunFolder.BestModelFile }.Select(run.File).Where(File.Exists))
            foreach (var tensor in ParameterFile.Read(file).Values) tensor.Dispose();
        if (run.ReadState() is { } state)
            foreach (var file in new[] { state.ModelCheckpoint!, state.OptimizerCheckpoint! })
                foreach (var tensor in ParameterFile.Read(run.File(file)).Values) tensor.Dispose();
    }
}
