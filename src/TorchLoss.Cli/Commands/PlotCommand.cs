using System.CommandLine;
using TorchLoss.Reporting;
using TorchLoss.Reporting.Plots;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss plot RUN [RUN ...]`: one metric of several runs per epoch, overlaid in one SVG or PNG, one colour per run.</summary>
public static class PlotCommand
{
    public const string DefaultOut = "plot.svg";

    public static Command Create(TextWriter? output = null)
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders (each with a metrics.jsonl or metrics.csv).", Arity = ArgumentArity.OneOrMore };
        var outPath = PathOptions.Path("--out", $"The file to write: .svg, or .png for the same figure as an image at twice its size (default {DefaultOut}).", DefaultOut).Shows("FILE");
        var metric = new Option<string>("--metric")
        {
            Description = $"What to plot per epoch: {string.Join(", ", RunMetric.Plottable.Select(m => m.Name))} (default test-error; errors in %, log axis).",
            DefaultValueFactory = _ => RunMetric.TestError.Name,
        };
        var command = new Command("plot", "Plot one metric of one or more runs per epoch in one SVG or PNG: one colour per run, the legend naming each run.")
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

    /// <summary>Each run's legend entry: its folder's name, or where two runs share one (a study's seed-1 folders), the
    /// fewest trailing path components that tell them apart, without those that every run has alike (compare-quick/
    /// mlp-256-256_softmax-ce and compare-quick-momentum0/mlp-256-256_softmax-ce, not .../runs/.../seed-1).</summary>
    internal static List<string> Names(IReadOnlyList<string> folders)
    {
        var parts = folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)).Split(Path.DirectorySeparatorChar,
            StringSplitOptions.RemoveEmptyEntries)).ToList();
        var deepest = parts.Max(p => p.Length);
        var count = Enumerable.Range(1, deepest).First(n => n == deepest || parts.Select(p => string.Join('/', p.TakeLast(n))).Distinct().Count() == parts.Count);
        if (count == 1) return parts.Select(p => p[^1]).ToList();
        // Position i counts from the end; a run with fewer components has none there, which differs from any.
        string? At(string[] p, int i) => i < p.Length ? p[^(i + 1)] : null;
        var differing = Enumerable.Range(0, count).Where(i => parts.Select(p => At(p, i)).Distinct().Count() > 1).Reverse().ToList();
        return parts.Select(p => string.Join('/', differing.Select(i => At(p, i)).OfType<string>())).ToList();
    }

    static void Write(string path, LinePlot plot)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UserException($"--out {path}: is a folder; give a file name such as {Path.Combine(path, DefaultOut)}");
        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
            throw new UserException($"--out {path}: the folder {folder} does not exist");
        var extension = Path.GetExtension(full).ToLowerInvariant();
        if (extension is not (".svg" or ".png")) throw new UserException($"--out {path}: give a .svg or a .png file name");
        try
        {
            if (extension == ".png") PngExport.Write(full, SvgRenderer.Render(plot));
            else SvgRenderer.Write(full, plot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserException($"--out {path}: cannot write it ({(e is UnauthorizedAccessException ? "permission denied" : CliRunner.FirstLine(e.Message))})");
        }
    }
}
