using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`torchloss compare` run to the end on a small dataset: one head, one model, one seed, so two runs (a tuning
/// run and the arm's). Serial: training seeds libtorch and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public class CompareCommandRunTests : IDisposable
{
    // compare holds out 10,000 validation images, as on MNIST.
    readonly CliDataset data = new(train: 10_200, test: 100);
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    string Out => data["study"];

    (int Code, string Output, string Error) Compare() => data.Run(CompareCommand.Create,
        "--heads", "softmax-ce", "--models", "linear", "--seeds", "1", "--epochs", "1", "--fine-tune-epochs", "0",
        "--lr-grid", "0.1", "--tuning-epochs", "1", "--out", Out);

    string[] ConfigFiles() => Directory.GetFiles(Out, RunFolder.ConfigFile, SearchOption.AllDirectories).Order().ToArray();

    [Fact]
    public void RunsOfTheOldBindingAreTrainedAgainSayingSoNeverReused()
    {
        var first = Compare();
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        Assert.Equal(2, Lines(first.Output, "] trained ").Length);
        var configs = ConfigFiles();
        Assert.Equal(2, configs.Length);

        var again = Compare(); // the runs are current: read back, not trained
        Assert.True(again.Code == ExitCodes.Ok, again.Error);
        Assert.Equal(2, Lines(again.Output, "] reused ").Length);

        // As the old libtorch 1.13 binding wrote them: config.json without format_version.
        foreach (var path in configs)
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Assert.True(json.Remove("format_version"));
            File.WriteAllText(path, json.ToJsonString());
        }
        var redone = Compare();
        Assert.True(redone.Code == ExitCodes.Ok, redone.Error);
        Assert.Empty(Lines(redone.Output, "] reused "));
        Assert.Equal(2, Lines(redone.Output, "] trained ").Length);
        var notices = Lines(redone.Output, "] redoing ");
        Assert.Equal(2, notices.Length);
        Assert.All(notices, n => Assert.Contains("written by the old libtorch 1.13 binding (config.json format 1", n));
        Assert.All(configs, path => Assert.Equal(RunConfigFile.CurrentFormatVersion, JsonFiles.Read<RunConfigFile>(path).FormatVersion));
    }

    static string[] Lines(string output, string containing) =>
        output.Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal)).ToArray();
}
