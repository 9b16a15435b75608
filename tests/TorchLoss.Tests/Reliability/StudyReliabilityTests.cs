using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Comparison;
using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>`compare` reuses a finished run only when its files agree with each other. Serial: training seeds libtorch
/// and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public class StudyReliabilityTests : IDisposable
{
    readonly CliDataset data = new(train: 10_200, test: 100); // compare holds out 10,000 validation images
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    string Out => data["study"];

    (int Code, string Output, string Error) Compare() => data.Run(CompareCommand.Create,
        "--heads", "softmax-ce", "--models", "linear", "--seeds", "1", "--epochs", "2", "--fine-tune-epochs", "0",
        "--lr-grid", "0.1", "--tuning-epochs", "1", "--out", Out);

    public static IEnumerable<object[]> Damage() =>
    [
        ["metrics.jsonl emptied", new Action<string>(run => File.WriteAllText(Path.Combine(run, MetricsLog.JsonLinesFile), ""))],
        ["metrics.jsonl cut after its first line", new Action<string>(run =>
            File.WriteAllLines(Path.Combine(run, MetricsLog.JsonLinesFile), File.ReadLines(Path.Combine(run, MetricsLog.JsonLinesFile)).Take(1)))],
        ["metrics.csv with a NUL byte", new Action<string>(run => File.AppendAllText(Path.Combine(run, MetricsLog.EpochCsvFile), "\0"))],
        ["a test error edited in summary.json", new Action<string>(run =>
        {
            var path = Path.Combine(run, RunFolder.SummaryFile);
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            json["final_test_error"] = 0.001;
            File.WriteAllText(path, json.ToJsonString());
        })],
        ["model.params flipped in one byte", new Action<string>(run =>
        {
            var path = Path.Combine(run, RunFolder.ModelFile);
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(path, bytes);
        })],
        ["state.json deleted", new Action<string>(run => File.Delete(Path.Combine(run, RunFolder.StateFile)))],
        ["model.safetensors cut short", new Action<string>(run =>
        {
            var path = Path.Combine(run, SafetensorsExport.File);
            File.WriteAllBytes(path, File.ReadAllBytes(path)[..^100]);
        })],
        ["model.safetensors with a number where a tensor belongs", new Action<string>(run =>
        {
            var header = System.Text.Encoding.UTF8.GetBytes("""{"layer1.weight": 5}""");
            File.WriteAllBytes(Path.Combine(run, SafetensorsExport.File), [.. BitConverter.GetBytes((ulong)header.Length), .. header]);
        })],
    ];

    [Theory]
    [MemberData(nameof(Damage))]
    public void ARunWhoseFilesDisagreeIsTrainedAgainSayingSoAndTheReportIsUnchanged(string damage, Action<string> apply)
    {
        var first = Compare();
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        var report = Comparable(Out);
        var arm = new RunFolder(Path.GetDirectoryName(Directory.GetFiles(Path.Combine(Out, "runs"), RunFolder.ConfigFile, SearchOption.AllDirectories).Single())!);
        Assert.Null(RunConsistency.Problem(arm));

        apply(arm.Path);
        Assert.NotNull(RunConsistency.Problem(arm));
        var again = Compare();
        Assert.True(again.Code == ExitCodes.Ok, again.Error);
        var redone = Lines(again.Output, "] redoing ");
        Assert.True(redone.Length == 1, $"{damage}: {again.Output}");
        Assert.Contains($"redoing {Path.GetRelativePath(Out, arm.Path)}: its files disagree (", redone[0]);
        Assert.Single(Lines(again.Output, "] reused ")); // the tuning run
        Assert.Equal(report, Comparable(Out));
        Assert.Null(RunConsistency.Problem(arm));
    }

    /// <summary>The study's summary.json without what depends on the clock (its time, each arm's seconds to the target)
    /// or on which runs were reused (and, for studies in different folders, the command).</summary>
    internal static string Comparable(string study, bool ignoreCommand = false)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(study, StudyReport.Json)))!.AsObject();
        foreach (var volatileField in new[] { "elapsed_seconds", "runs_trained", "runs_reused" }) json.Remove(volatileField);
        foreach (var arm in json["arms"]!.AsArray()) arm!["values"]!.AsObject().Remove("seconds_to_target_mean");
        if (ignoreCommand) json.Remove("command"); // it names the study's own --out
        return json.ToJsonString();
    }

    static string[] Lines(string output, string containing) =>
        output.Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal)).ToArray();
}
