using System.CommandLine;
using System.Text.Json.Nodes;
using TorchLoss.Reporting;
using TorchLoss.Data;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// `torchloss data verify [dataset]`: checks the size and SHA-256 of every present file. Fails (exit 1) on a corrupt or
/// unreadable file, on a dataset with some files missing, on a named dataset that is missing, or when nothing is present.
/// </summary>
public static class DataVerifyCommand
{
    public static Command Create(DataCommandServices services, Option<string?> dataDirectory)
    {
        var dataset = DataCommand.DatasetArgument(services, optional: true);
        var json = new Option<bool>("--json")
        {
            Description = "One JSON object per checked file (dataset, file, path, state, problem, link_target), one per dataset not fetched, " +
                          "then the outcome (data_directory, failed, verified).",
        };
        var command = new Command("verify", "Check every present dataset file against the manifest's checksums; exit 1 if any fails.")
        {
            dataset, json,
        };
        command.SetAction(parse =>
        {
            var store = services.Store(parse.GetValue(dataDirectory));
            var named = parse.GetValue(dataset);
            IVerifyReport report = parse.GetValue(json) ? new JsonReport(services.Output) : new TextReport(services.Output);
            return Verify(store, named is null ? store.Manifest.Names.ToArray() : [named], requirePresence: named is not null, report);
        });
        return command;
    }

    static int Verify(DatasetStore store, IReadOnlyList<string> datasets, bool requirePresence, IVerifyReport report)
    {
        report.Start(store.Directory);
        var failed = 0;
        var checkedAny = false;
        foreach (var name in datasets)
        {
            var checks = store.Verify(name);
            if (!requirePresence && checks.All(c => c.State == FileState.Missing))
            {
                report.NotFetched(name);
                continue;
            }
            checkedAny = true;
            report.Dataset(name, checks);
            failed += checks.Count(c => c.State != FileState.Ok);
        }
        report.End(store.Directory, checkedAny, failed);
        return checkedAny && failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    interface IVerifyReport
    {
        void Start(string directory);
        void NotFetched(string dataset);
        void Dataset(string dataset, IReadOnlyList<FileCheck> checks);
        void End(string directory, bool checkedAny, int failed);
    }

    sealed class TextReport(TextWriter output) : IVerifyReport
    {
        public void Start(string directory) => output.WriteLine($"data directory {directory}");

        public void NotFetched(string dataset) => output.WriteLine($"{dataset}: not fetched (run `torchloss data fetch {dataset}`)");

        public void Dataset(string dataset, IReadOnlyList<FileCheck> checks)
        {
            output.WriteLine($"{dataset}:");
            foreach (var check in checks) output.WriteLine(Describe(check, dataset));
        }

        public void End(string directory, bool checkedAny, int failed) => output.WriteLine(
            !checkedAny ? $"no dataset files under {directory}; run `torchloss data fetch`"
            : failed == 0 ? "all present files verified" : $"{failed} file(s) failed verification");
    }

    sealed class JsonReport(TextWriter output) : IVerifyReport
    {
        public void Start(string directory) { }

        public void NotFetched(string dataset) => Write(new JsonObject { ["dataset"] = dataset, ["fetched"] = false });

        public void Dataset(string dataset, IReadOnlyList<FileCheck> checks)
        {
            foreach (var check in checks)
                Write(new JsonObject
                {
                    ["dataset"] = dataset, ["file"] = check.File.Name, ["path"] = check.Path,
                    ["state"] = check.State.ToString().ToLowerInvariant(), ["problem"] = check.Problem, ["link_target"] = check.LinkTarget,
                });
        }

        public void End(string directory, bool checkedAny, int failed) =>
            Write(new JsonObject { ["data_directory"] = directory, ["failed"] = failed, ["verified"] = checkedAny && failed == 0 });

        void Write(JsonObject o) => output.WriteLine(o.ToJsonString(JsonFiles.Compact));
    }

    static string Describe(FileCheck check, string dataset) => check.State switch
    {
        FileState.Ok => $"  ok          {check.File.Name}{(check.LinkTarget is { } target ? $" (a symbolic link to {target})" : "")}",
        FileState.Missing => $"  MISSING     {check.Path}: {(check.Problem is { } p ? $"{p}; " : "")}run `torchloss data fetch {dataset}`",
        FileState.Corrupt => $"  CORRUPT     {check.Path}: {check.Problem}; run `torchloss data fetch {dataset}` to replace it",
        _ => $"  UNREADABLE  {check.Path}: {check.Problem}; fix its permissions, or remove it and run `torchloss data fetch {dataset}`",
    };
}
