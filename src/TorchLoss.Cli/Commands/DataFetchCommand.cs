using System.CommandLine;
using System.Text.Json.Nodes;
using TorchLoss.Reporting;
using TorchLoss.Data;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss data fetch [dataset]`: makes the dataset's files present and verified, trying the manifest's sources in order.</summary>
public static class DataFetchCommand
{
    public static Command Create(DataCommandServices services, Option<string?> dataDirectory)
    {
        var dataset = DataCommand.DatasetArgument(services);
        var json = new Option<bool>("--json")
        {
            Description = "One JSON object per file (dataset, file, path, action: present, fetched or replaced_corrupt; source, failed_sources, " +
                          "replaced_link_to), no progress bars.",
        };
        var command = new Command("fetch", "Download (or copy) a dataset's files and verify their checksums; present, verified files are kept.")
        {
            dataset, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = services.Store(parse.GetValue(dataDirectory));
            var asJson = parse.GetValue(json);
            var report = await FetchAsync(store, parse.GetValue(dataset)!, asJson ? services with { ShowProgress = false } : services, cancellationToken);
            if (asJson) PrintJson(report, services.Output);
            else Print(report, services.Output);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Fetches with progress bars when enabled; the data commands that need files call this first.</summary>
    internal static Task<FetchReport> FetchAsync(DatasetStore store, string dataset, DataCommandServices services, CancellationToken cancellationToken) =>
        FetchProgressDisplay.RunAsync(services.ShowProgress, progress => store.FetchAsync(dataset, progress, cancellationToken));

    static void PrintJson(FetchReport report, TextWriter output)
    {
        foreach (var outcome in report.Outcomes)
            output.WriteLine(new JsonObject
            {
                ["dataset"] = report.Files.Spec.Name,
                ["file"] = outcome.File.Name,
                ["path"] = report.Files.PathOf(outcome.File.Name),
                ["action"] = outcome.Action switch { FetchAction.AlreadyPresent => "present", FetchAction.Fetched => "fetched", _ => "replaced_corrupt" },
                ["source"] = outcome.Source,
                ["failed_sources"] = new JsonArray(outcome.FailedSources.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
                ["replaced_link_to"] = outcome.ReplacedLinkTo,
            }.ToJsonString(JsonFiles.Compact));
    }

    internal static void Print(FetchReport report, TextWriter output)
    {
        output.WriteLine($"{report.Files.Spec.Name}: {report.Outcomes.Count} files in {report.Files.Directory}");
        foreach (var outcome in report.Outcomes)
        {
            var what = outcome.Action switch
            {
                FetchAction.AlreadyPresent => "present, checksum ok",
                FetchAction.Fetched => $"fetched from {outcome.Source}, checksum ok",
                _ => $"was corrupt, replaced from {outcome.Source}, checksum ok",
            };
            if (outcome.ReplacedLinkTo is { } target) what += $" (it replaces a symbolic link to {target}, which is left as it was)";
            output.WriteLine($"  {outcome.File.Name,-26} {what}");
        }
        foreach (var failure in report.Outcomes.SelectMany(o => o.FailedSources).Distinct())
            output.WriteLine($"  unavailable: {failure}");
    }
}
