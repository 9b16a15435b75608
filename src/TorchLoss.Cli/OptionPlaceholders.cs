using System.CommandLine;

namespace TorchLoss.Cli;

/// <summary>
/// What `--help` shows after an option's names, by the option's name: one placeholder per concept in every command
/// (`--seed &lt;N&gt;`, `--data-dir &lt;DIR&gt;`), instead of System.CommandLine's repetition of the name (`--seed &lt;seed&gt;`).
/// An option that sets its own HelpName (see <see cref="OptionGroups.Shows"/>) keeps it.
/// </summary>
public static class OptionPlaceholders
{
    static readonly Dictionary<string, string> ByName = new()
    {
        ["--data-dir"] = "DIR",
        ["--seed"] = "N",
        ["--steps"] = "N",
        ["--repetitions"] = "N",
        ["--warmup"] = "N",
        ["--points"] = "N",
        ["--grid-points"] = "N",
        ["--classes"] = "N",
        ["--features"] = "N",
        ["--hidden"] = "N",
        ["--rows-per-class"] = "N",
        ["--validation-size"] = "N",
        ["--train-limit"] = "K",
        ["--lr"] = "RATE",
        ["--device"] = "cpu|cuda|cuda:N",
        ["--dataset"] = "NAME|csv:PATH|tsv:PATH",
        ["--heads"] = "HEAD,...",
        ["--batches"] = "SIZE,...",
        ["--batch-sizes"] = "SIZE,...",
        ["--mse-reduction"] = "half-sum|mean",
        ["--hidden-activation"] = "sigmoid|tanh|relu",
        ["--range"] = "FROM:TO",
        ["--b-range"] = "FROM:TO",
        ["--samples"] = "X:LABEL,...",
        ["--saturated-logit"] = "Z",
        ["--separation"] = "STD",
        ["--task"] = "PvN",
        ["--metric"] = "METRIC",
        ["--python"] = "PATH",
    };

    /// <summary>Gives every option under <paramref name="command"/> without a HelpName the placeholder of its name.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
            if (option.HelpName is null && ByName.TryGetValue(option.Name, out var placeholder)) option.HelpName = placeholder;
        foreach (var subcommand in command.Subcommands) Apply(subcommand);
    }
}
