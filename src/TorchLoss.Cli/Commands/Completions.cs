using System.CommandLine;
using TorchLoss.Data;
using TorchLoss.Heads;

namespace TorchLoss.Cli.Commands;

/// <summary>The values shell completion offers for the options that take one of a few words (System.CommandLine answers
/// the `[suggest:POSITION] "LINE"` directive with them; scripts/completion.bash wires it into bash).</summary>
public static class Completions
{
    public static readonly string[] Engines = ["auto", "fused", "autograd", "closed-form"];
    public static readonly string[] Devices = ["cpu", "cuda"];

    public static IEnumerable<string> Datasets(DatasetManifest manifest) => [.. manifest.Names, "csv:", "tsv:"];

    /// <summary>Offers <paramref name="values"/> (computed when asked, so heads registered later are offered too).</summary>
    public static T With<T>(this T option, Func<IEnumerable<string>> values) where T : Option
    {
        option.CompletionSources.Add(_ => values().Select(v => new System.CommandLine.Completions.CompletionItem(v)));
        return option;
    }

    public static T With<T>(this T option, params string[] values) where T : Option => option.With(() => values);

    public static IEnumerable<string> Heads() => HeadCatalog.Names;
}
