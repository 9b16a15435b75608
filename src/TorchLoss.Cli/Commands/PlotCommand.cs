using System.CommandLine;
using TorchLoss.Reporting;
using TorchLoss.Reporting.Plots;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss plot RUN [RUN ...]`: one metric of several runs per epoch, overlaid in one SVG, one colour per run.</summary>
public static class PlotCommand
{
    public const string DefaultOut = "plot.svg";

    public static Command Create(TextWriter? output = null)
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders (each with a metrics.jsonl or metrics.csv).", Arity = ArgumentArity.OneOrMore };
        var outPath = PathOptions.Path("--out", $"The SVG file to write (default {DefaultOut}).", DefaultOut);
        var metric = new Option<string>("--metric")
        {
            Description = $"What to plot per epoch: {string.Join(", ", RunMetric.Plottable.Select(m => m.Name))} (default test-error; errors in %, log axis).",
            DefaultValueFactory = _ => RunMetric.TestError.Name,
        };
        var command = new Command("plot", "Plot one metric of one or more runs per epoch in one SVG: one colour per run, the legend naming each run.")
        {
            runs, outPath, metric,
        };
        command.SetAction(parse =>
        {
            var chosen = ParseMetric(parse.GetValue(metric)!);
            var folders = parse.GetValue(runs)!;
            var curves = folders.Select(f => (Folder: f, Epochs: RunCurves.ReadEpochs(f))).ToList();
            if (!curves.Any(c => RunCurves.Has(c.Epochs, chosen)))
                throw new UserException($"--metric {chosen.Name}: no epoch row of {(curves.Count == 1 ? "the run" : $"the {curves.Count} runs")} has {chosen.Column}");
            var names = Names(folders);
            var plot = RunCurves.Overlay(curves.Select((c, i) => (names[i], c.Epochs)).ToList(), chosen);
            var path = parse.GetValue(outPath)!;
            Write(path, plot);
            (output ?? Console.Out).WriteLine($"wrote {path}: {chosen.Label} of {curves.Count} run(s) over {curves.Max(c => c.Epochs.Count)} epoch row(s)");
            return ExitCodes.Ok;
        });
        return command;
    }

    static RunMetric ParseMetric(string name)
    {
        try { return RunMetric.Parse(name); }
        catch (FormatException e)
        {
            var nearest = Suggestions.Nearest(name, RunMetric.Plottable.Select(m => m.Name));
            throw new UserException(nearest is null ? e.Message : $"{e.Message} (did you mean {nearest}?)");
        }
    }

    /// <summary>Each run's legend entry: its folder's name, or the path as given where two runs share a name.</summary>
    static List<string> Names(IReadOnlyList<string> folders)
    {
        var names = folders.Select(f => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)))).ToList();
        return names.Select((n, i) => names.Count(m => m == n) > 1 ? Path.TrimEndingDirectorySeparator(folders[i]) : n).ToList();
    }

    static void Write(string path, LinePlot plot)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UserException($"--out {path}: is a folder; give a file name such as {Path.Combine(path, DefaultOut)}");
        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
            throw new UserException($"--out {path}: the folder {folder} does not exist");
        try { SvgRenderer.Write(full, plot); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserException($"--out {path}: cannot write it ({(e is UnauthorizedAccessException ? "permission denied" : CliRunner.FirstLine(e.Message))})");
        }
    }
}
