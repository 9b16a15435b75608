using System.CommandLine;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// What `train --resume` takes from the command line: a resumed run keeps the settings in its config.json, so only
/// options that do not change what it computes may be given (a new total of epochs, thread counts, the data folder,
/// the output form, PNG copies of the plots). Any other option is refused unless it repeats the run's own value.
/// </summary>
public static class ResumeSettings
{
    public static TrainConfig Apply(TrainOptions o, ParseResult parse, RunFolder run, TrainConfig config)
    {
        foreach (var option in new Option[] { o.Name, o.RunsDir, o.Out })
            if (TrainOptions.Given(parse, option))
                throw new FormatException($"{option.Name} cannot be combined with --resume: the run stays in {run.Path}");
        if (TrainOptions.Given(parse, o.Config))
            throw new FormatException($"--config cannot be combined with --resume: the run keeps the settings in {run.File(RunFolder.ConfigFile)}");

        var given = o.ToConfig(parse);
        foreach (var (option, setting) in o.Settings())
        {
            if (!TrainOptions.Given(parse, option) || Equals(setting(given), setting(config))) continue;
            throw new FormatException($"{option.Name} {Typed(parse, option)} contradicts the run's setting ({setting(config) ?? "none"}) in " +
                                      $"{run.File(RunFolder.ConfigFile)}; a resumed run keeps its settings: start a new run to change them");
        }

        if (TrainOptions.Given(parse, o.Epochs)) config = config with { Epochs = parse.GetValue(o.Epochs) };
        if (TrainOptions.Given(parse, o.Threads)) config = config with { Threads = parse.GetValue(o.Threads) };
        if (TrainOptions.Given(parse, o.BlasThreads)) config = config with { BlasThreads = parse.GetValue(o.BlasThreads) };
        if (TrainOptions.Given(parse, o.DataDir)) config = config with { DataDirectory = parse.GetValue(o.DataDir) };
        run.CheckCanContinueTo(config.Epochs);
        return config;
    }

    static string Typed(ParseResult parse, Option option) =>
        parse.GetResult(option) is { Tokens.Count: > 0 } result ? string.Join(' ', result.Tokens.Select(t => t.Value)) : "(given)";
}
