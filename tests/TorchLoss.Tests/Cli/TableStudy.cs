using TorchLoss.Cli.Commands;
using TorchLoss.Engines;
using TorchLoss.Runtime;
using TorchLoss.Tests.Data.Tables;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>What the tests of `compare` on a small table share: a temporary folder holding a CSV of animals, `compare`
/// run in process on it into the folder's study/, and the thread settings it changed put back on disposal.</summary>
internal sealed class TableStudy : IDisposable
{
    readonly TempDirectory temp = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public TableStudy(int rowsPerClass = 20) => File.WriteAllText(Csv, TableFiles.Animals(rowsPerClass));

    public string Csv => temp["a.csv"];

    /// <summary>The study's folder (compare's --out).</summary>
    public string Folder => temp["study"];

    public string this[string relative] => temp[relative];

    public (int Code, string Output, string Error) Compare(params string[] args) =>
        InProcessCli.Run(CompareCommand.Create, ["--dataset", $"csv:{Csv}", "--out", Folder, .. args]);

    public void Dispose()
    {
        threads.Apply();
        temp.Dispose();
    }
}
