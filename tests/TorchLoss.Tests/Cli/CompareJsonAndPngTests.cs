using System.Text.Json;
using TorchLoss.Cli;

namespace TorchLoss.Tests.Cli;

/// <summary>compare --json: one JSON object per line, each finished run with its summary.json, then the study's
/// summary.json; nothing else on stdout. compare --png: a PNG beside each of the study's plots. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class CompareJsonAndPngTests : IDisposable
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
    public void Png_writes_a_png_beside_each_of_the_studys_plots_and_is_refused_where_nothing_is_drawn()
    {
        var result = study.Compare([.. Small, "--png"]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var svgs = Directory.GetFiles(Path.Combine(study.Folder, "plots"), "*.svg");
        Assert.NotEmpty(svgs);
        Assert.All(svgs, svg => Assert.True(File.Exists(Path.ChangeExtension(svg, ".png")), svg));
        Assert.Contains($"with PNG copies of its {svgs.Length} plots", result.Output);
        var plan = study.Compare([.. Small, "--png", "--plan"]);
        Assert.Equal(ExitCodes.UsageError, plan.Code);
        Assert.Contains("--png goes with a study run or --report, not --plan", plan.Error);
    }

    [Fact]
    public void Json_goes_with_a_study_run_or_the_plan_only()
    {
        var result = study.Compare([.. Small, "--json", "--report"]);
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Contains("--json goes with --plan or a study run, not --report", result.Error);
    }
}
