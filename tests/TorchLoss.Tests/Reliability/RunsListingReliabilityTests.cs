using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>`torchloss runs` over trees a run folder was never meant to meet: other tools' config.json files, symbolic
/// links that loop or leave the tree, deep nesting, and control characters in what it prints. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class RunsListingReliabilityTests : IDisposable
{
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    string Tree => data["tree"];

    /// <summary>A finished 1-epoch run at <paramref name="relative"/> under the tree.</summary>
    string Run(string relative)
    {
        var folder = Path.Combine(Tree, relative);
        var (code, _, error) = data.Run(TrainCommand.Create, "--out", folder, "--model", "linear", "--epochs", "1", "--validation-size", "100");
        Assert.True(code == ExitCodes.Ok, error);
        return folder;
    }

    static (int Code, string Output, string Error) Runs(params string[] args) => InProcessCli.Run(RunsCommand.Create, args);

    static string[] Names(string tree)
    {
        var json = Runs(tree, "--json");
        Assert.True(json.Code == ExitCodes.Ok, json.Error);
        return json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => (string)JsonNode.Parse(line)!["name"]!).ToArray();
    }

    [Fact]
    public void FoldersWithAnotherToolsConfigJsonAreSkippedAndCounted()
    {
        Run("mine");
        foreach (var (folder, json) in new[] { ("bert", """{"architectures": ["BertModel"]}"""), ("empty", "{}"), ("list", "[1, 2]") })
        {
            Directory.CreateDirectory(Path.Combine(Tree, folder));
            File.WriteAllText(Path.Combine(Tree, folder, RunFolder.ConfigFile), json);
        }
        Run(Path.Combine("bert", "below")); // a foreign folder is no run, so runs below it still count

        Assert.Equal([Path.Combine("bert", "below"), "mine"], Names(Tree));
        var table = Runs(Tree);
        Assert.True(table.Code == ExitCodes.Ok, table.Error);
        Assert.EndsWith("\nskipped 3 folders whose config.json is not a TorchLoss run's\n", table.Output);
    }

    [Fact]
    public void SymbolicLinksAreNotFollowedSoEachRunIsListedOnce()
    {
        Run("r");
        for (var i = 0; i < 3; i++) Directory.CreateSymbolicLink(Path.Combine(Tree, $"l{i}"), ".");
        Directory.CreateSymbolicLink(Path.Combine(Tree, "r", "up"), "..");
        Directory.CreateSymbolicLink(Path.Combine(Tree, "parent"), "..");
        Directory.CreateSymbolicLink(Path.Combine(Tree, "out"), data.DataDirectory);

        Assert.Equal(["r"], Names(Tree));
        var table = Runs(Tree);
        Assert.True(table.Code == ExitCodes.Ok, table.Error);
        Assert.Equal(3, table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header, r, the count
        Assert.EndsWith("\nskipped 5 symbolic links to folders (not followed)\n", table.Output);
    }

    [Fact]
    public void RunsAreFoundAtAnyDepth()
    {
        var deep = Path.Combine([.. Enumerable.Range(1, 12).Select(i => $"d{i}"), "run"]);
        Run(deep);
        Run("shallow");
        Assert.Equal([deep, "shallow"], Names(Tree));
    }

    [Fact]
    public void ControlCharactersFromFilesAndFolderNamesArePrintedEscaped()
    {
        var run = Run("r");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, RunFolder.ConfigFile)))!.AsObject();
        config["config"]!["head"] = "\u001b]0;retitled\u0007ce";
        config["config"]!["model"] = "lin\near\u202e";
        File.WriteAllText(Path.Combine(run, RunFolder.ConfigFile), config.ToJsonString());
        Directory.Move(run, Path.Combine(Tree, "a\u001b[2Jb"));

        var table = Runs(Tree);
        Assert.True(table.Code == ExitCodes.Ok, table.Error);
        Assert.DoesNotContain(table.Output, c => c != '\n' && TorchLoss.Reporting.PrintableText.IsControl(c));
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^a\\x1b\[2Jb\s+\\x1b\]0;retitled\\x07ce\s+lin\\near\\u202e\s+rows\s", lines[1]);
    }
}
