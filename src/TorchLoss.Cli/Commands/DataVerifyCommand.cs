using System.CommandLine;
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
        var command = new Command("verify", "Check every present dataset file against the manifest's checksums; exit 1 if any fails.")
        {
            dataset,
        };
        command.SetAction(parse =>
        {
            var store = services.Store(parse.GetValue(dataDirectory));
            var named = parse.GetValue(dataset);
            return Verify(store, named is null ? store.Manifest.Names.ToArray() : [named], requirePresence: named is not null, services.Output);
        });
        return command;
    }

    static int Verify(DatasetStore store, IReadOnlyList<string> datasets, bool requirePresence, TextWriter output)
    {
        output.WriteLine($"data directory {store.Directory}");
        var failed = 0;
        var checkedAny = false;
        foreach (var name in datasets)
        {
            var checks = store.Verify(name);
            if (!requirePresence && checks.All(c => c.State == FileState.Missing))
            {
                output.WriteLine($"{name}: not fetched (run `torchloss data fetch {name}`)");
                continue;
            }
            checkedAny = true;
            output.WriteLine($"{name}:");
            foreach (var check in checks)
            {
                if (check.State != FileState.Ok) failed++;
                output.WriteLine(Describe(check, name));
            }
        }
        if (!checkedAny)
        {
            output.WriteLine($"no dataset files under {store.Directory}; run `torchloss data fetch`");
            return ExitCodes.Failed;
        }
        output.WriteLine(failed == 0 ? "all present files verified" : $"{failed} file(s) failed verification");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    static string Describe(FileCheck check, string dataset) => check.State switch
    {
        FileState.Ok => $"  ok          {check.File.Name}{(check.LinkTarget is { } target ? $" (a symbolic link to {target})" : "")}",
        FileState.Missing => $"  MISSING     {check.Path}: {(check.Problem is { } p ? $"{p}; " : "")}run `torchloss data fetch {dataset}`",
        FileState.Corrupt => $"  CORRUPT     {check.Path}: {check.Problem}; run `torchloss data fetch {dataset}` to replace it",
        _ => $"  UNREADABLE  {check.Path}: {check.Problem}; fix its permissions, or remove it and run `torchloss data fetch {dataset}`",
    };
}
