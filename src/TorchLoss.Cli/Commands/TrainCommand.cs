using System.CommandLine;
using System.Text.Json;
using TorchLoss.Data;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss train`: one model, one head, a run folder with metrics, checkpoints and a summary.</summary>
public static class TrainCommand
{
    public static Command Create(DataCommandServices? services = null)
    {
        services ??= DataCommandServices.Default();
        var options = new TrainOptions(services.Manifest);
        var command = new Command("train",
            "Train a model with one output head on MNIST, Fashion-MNIST or a table (CSV/TSV); logs accuracy, gradient norms per layer, dL/dz " +
            "and output saturation into runs/NAME. Squared-error heads use L = 1/2 * sum over classes (a - y)^2 averaged over " +
            "the batch unless --mse-reduction mean.");
        foreach (var option in options.All()) command.Options.Add(option);
        OptionGroups.Set(command, options.Groups());
        // The token SIGINT and SIGTERM cancel: the run stops at the next step boundary, resumable.
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(options, parse, services, cancellationToken)));
        return command;
    }

    static int Run(TrainOptions o, ParseResult parse, DataCommandServices services, CancellationToken cancellationToken)
    {
        var (config, run, resume) = Plan(o, parse);
        config.Validate();
        var json = parse.GetValue(o.Json);
        var png = parse.GetValue(o.Png);
        if (png) PngExport.RequireFont();
        var store = services.Store(config.DataDirectory);
        using var data = TrainingData.Load(config, store, cancellationToken: cancellationToken);
        RunSummary summary;
        try
        {
            summary = TrainConsole.Run(config, data, run, resume, json, services.Output, cancellationToken);
            var plots = run.File(RunReport.PlotsDirectory);
            if (png && PngExport.WriteBesideEachSvg(plots) is var written and > 0 && !json)
                services.Output.WriteLine($"PNG copies of {written} plot(s) in {plots}");
        }
        catch (IOException e) when (CliRunner.IsDiskFull(e))
        {
            throw new UserException($"{CliRunner.FirstLine(e.Message)}; free some space, then continue with: torchloss train --resume {run.Path}");
        }
        return summary.Status == RunStatus.Diverged ? ExitCodes.Failed : ExitCodes.Ok;
    }

    static (TrainConfig Config, RunFolder Run, bool Resume) Plan(TrainOptions o, ParseResult parse)
    {
        if (parse.GetValue(o.Resume) is { } folder)
        {
            var run = new RunFolder(folder);
            // Refused here, before the data is loaded: a folder without config.json or from the old binding.
            var config = run.ReadConfigToResume().EffectiveConfig;
            config = ResumeSettings.Apply(o, parse, run, config);
            return (config, run, true);
        }
        var fresh = o.ToConfig(parse);
        if (parse.GetValue(o.Out) is { } output)
        {
            PathOptions.RefuseControlCharacters(output, "--out");
            foreach (var option in new Option[] { o.Name, o.RunsDir })
                if (TrainOptions.Given(parse, option))
                    throw new UserException($"--out names the run folder itself: drop {option.Name}");
            return (fresh, new RunFolder(output), false);
        }
        // A default name comes from settings that are checked on their own (an unknown head is refused as one).
        if (parse.GetValue(o.Name) is { } given) PathOptions.RefuseControlCharacters(given, "--name");
        var name = parse.GetValue(o.Name) ?? RunFolder.DefaultName(fresh, DateTime.Now);
        PathOptions.RefuseControlCharacters(parse.GetValue(o.RunsDir)!, "--runs-dir");
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new UserException($"run name '{name}' cannot be a folder name");
        return (fresh, new RunFolder(Path.Combine(parse.GetValue(o.RunsDir)!, name)), false);
    }
}
