using System.CommandLine;
using TorchLoss.Data;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss data fetch|verify|info`: get, check and summarise the datasets of the manifest.</summary>
public static class DataCommand
{
    public static Command Create(DataCommandServices? services = null)
    {
        services ??= DataCommandServices.Default();
        var dataDirectory = PathOptions.OptionalPath("--data-dir",
            $"Where datasets live (default: ${DataDirectory.EnvironmentVariable}, else the checkout's datasets/, " +
            "else ~/.local/share/torchloss/datasets).");
        dataDirectory.Recursive = true;
        return new Command("data", "Fetch, verify and describe the datasets (MNIST, Fashion-MNIST, and tables: digits, iris, wine, breast cancer, your CSV/TSV files).")
        {
            dataDirectory,
            DataFetchCommand.Create(services, dataDirectory),
            DataVerifyCommand.Create(services, dataDirectory),
            DataInfoCommand.Create(services, dataDirectory),
            DataSyntheticCommand.Create(services),
        };
    }

    /// <summary>The optional dataset argument shared by the subcommands: one of the manifest's names, mnist by default.</summary>
    /// <param name="files">also accept csv:PATH and tsv:PATH (data info).</param>
    internal static Argument<string> DatasetArgument(DataCommandServices services, bool optional = false, bool files = false)
    {
        var argument = new Argument<string>("dataset")
        {
            Description = $"One of: {string.Join(", ", services.Manifest.Names)}{(files ? $"; or a table file, {Data.Tables.TableDatasets.Syntax} ({Data.Tables.TableLimits.Summary})" : "")}.",
        };
        if (!optional) argument.DefaultValueFactory = _ => "mnist";
        else argument.Arity = ArgumentArity.ZeroOrOne;
        // A validator rather than AcceptOnlyFromAmong, whose message spans several lines.
        argument.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !services.Manifest.Names.Contains(result.Tokens[0].Value)
                && !(files && Data.Tables.TableDatasets.IsFile(result.Tokens[0].Value)))
                result.AddError($"unknown dataset '{result.Tokens[0].Value}'; known datasets: {string.Join(", ", services.Manifest.Names)}");
        });
        return argument;
    }
}
