using System.Text.Json;
using TorchLoss.Cli;

namespace TorchLoss.Tests.Cli;

/// <summary>compare --json: one JSON object per line, each finished run with its summary.json, then the study's
/// summary.json; nothing else on stdout. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class CompareJsonTests : IDisposable
{
    readonly TableStudy study = new();

    public void Dispose() => study.Dispose();

    static readonly string[] Small = ["--heads", "softmax-ce,sigmoid-mse", "--models", "linear", "--seeds", "1", "--epochs", "2",
        "--fine-tune-epochs", "1", "--init-scales", "1", "--tuning-epochs", "1", "--lr-grid", "0.3"];

    [Fact]
    public void Each_finished_run_is_one_object_and_the_last_line_is_the_summary()
    {
        var result = study.Compare([.. Small, "--json"]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var lines = result.Output.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var runs = lines[..^1];
        var total = runs[0].GetProperty("total").GetInt32();
        Assert.Equal(Enumerable.Range(1, total), runs.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(runs, r =>
        {
            Assert.False(r.GetProperty("reused").GetBoolean());
            Assert.True(r.GetProperty("seconds").GetDouble() > 0);
            Assert.True(Directory.Exists(Path.Combine(study.Folder, r.GetProperty("folder").GetString()!)));
            Assert.Equal("completed", r.GetProperty("summary").GetProperty("status").GetString());
        });
        // The last line is summary.json itself, compacted.
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(study.Folder, "summary.json")));
        Assert.Equal(JsonSerializer.Serialize(written.RootElement), JsonSerializer.Serialize(lines[^1]));

        // Run again: every run is reused, and says so.
        var again = study.Compare([.. Small, "--json"]);
        Assert.True(again.Code == ExitCodes.Ok, again.Error);
        var reused = again.Output.Trim().Split('\n')[..^1].Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(total, reused.Count);
        Assert.All(reused, r => Assert.True(r.GetProperty("reused").GetBoolean() && r.GetProperty("seconds").ValueKind == JsonValueKind.Null));
    }

    [Fact]
    public void Json_goes_with_a_study_run_or_the_plan_only()
    {
        var result = study.Compare([.. Small, "--json", "--report"]);
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Contains("--json goes with --plan or a study run, not --report", result.Error);
    }
}
