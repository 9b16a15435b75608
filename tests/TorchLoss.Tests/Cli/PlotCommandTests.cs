using System.CommandLine;
using System.Xml.Linq;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`train`'s own plots and report, and `torchloss plot` over the run folders it wrote. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class PlotCommandTests : IDisposable
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    readonly CliDataset data = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    string Train(string name, string head, params string[] extra)
    {
        var result = data.Run(TrainCommand.Create, ["--name", name, "--runs-dir", data.RunsDirectory, "--head", head, "--model", "linear",
            "--epochs", "2", "--validation-size", "100", "--lr", "0.3", .. extra]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        return Path.Combine(data.RunsDirectory, name);
    }

    static (int Code, string Output, string Error) Plot(params string[] args) => InProcessCli.Run(PlotCommand.Create, args);

    static List<string> Texts(XDocument doc, string? cls = null) =>
        doc.Descendants(Svg + "text").Where(t => cls is null || (string?)t.Attribute("class") == cls).Select(t => t.Value).ToList();

    /// <summary>The curves of a plot: each line's legend name, colour and points as drawn (pixels).</summary>
    static List<(string Name, string Color, int Points)> Lines(XDocument doc) => doc.Descendants(Svg + "path")
        .Where(p => p.Element(Svg + "title") is not null)
        .Select(p => (p.Element(Svg + "title")!.Value, (string)p.Attribute("stroke")!, ((string)p.Attribute("d")!).Count(c => c is 'M' or 'L'))).ToList();

    [Fact]
    public void TrainWritesItsPlotsAndAReportThatAgreesWithItsSummary()
    {
        var run = new RunFolder(Train("ce", "softmax-ce"));
        var summary = JsonFiles.Read<RunSummary>(run.File(RunFolder.SummaryFile));
        var report = File.ReadAllText(run.File(RunReport.File));
        Assert.Contains($"test error {summary.FinalTestError!.Value * 100:F2} %".Replace(',', '.'), report);
        foreach (var file in new[] { "error", "loss", "output-gradient", "saturation", "gradient-norms" })
        {
            Assert.Contains($"](plots/{file}.svg)", report);
            Assert.Equal("svg", XDocument.Load(run.File($"plots/{file}.svg")).Root!.Name.LocalName);
        }
        var error = XDocument.Load(run.File("plots/error.svg"));
        Assert.Equal(["train", "validation", "test"], Lines(error).Select(l => l.Name));
        Assert.Equal([2, 3, 3], Lines(error).Select(l => l.Points)); // epoch 0 has no train error; an error of 0 % is shown too
        Assert.Equal(["0", "1", "2"], Texts(error, "x-tick"));
        Assert.All(Texts(error, "y-tick"), t => Assert.EndsWith(" %", t));
    }

    [Fact]
    public void RunsAreOverlaidOneColourEachAndMetricsCsvServesWhenThereIsNoJsonl()
    {
        var ce = Train("ce", "softmax-ce");
        var mse = Train("mse", "sigmoid-mse");
        var svg = data["plot.svg"];
        var result = Plot(ce, mse, "--out", svg, "--metric", "dldz");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Contains($"wrote {svg}: mean ‖dL/dz‖ of 2 run(s)", result.Output);
        var doc = XDocument.Load(svg);
        var lines = Lines(doc);
        Assert.Equal(["ce", "mse"], lines.Select(l => l.Name));
        Assert.Equal(2, lines.Select(l => l.Color).Distinct().Count());
        Assert.All(lines, l => Assert.Equal(3, l.Points)); // epochs 0, 1, 2
        Assert.Contains("ce", Texts(doc));

        // The same run read from metrics.csv draws the same line.
        var csvOnly = data["csv-only"];
        Directory.CreateDirectory(csvOnly);
        File.Copy(Path.Combine(ce, MetricsLog.EpochCsvFile), Path.Combine(csvOnly, MetricsLog.EpochCsvFile));
        Assert.Equal(ExitCodes.Ok, Plot(csvOnly, "--out", data["csv.svg"], "--metric", "dldz").Code);
        Assert.Equal(ExitCodes.Ok, Plot(ce, "--out", data["jsonl.svg"], "--metric", "dldz").Code);
        static string D(string path) => (string)XDocument.Load(path).Descendants(Svg + "path").Single(p => p.Element(Svg + "title") is not null).Attribute("d")!;
        Assert.Equal(D(data["jsonl.svg"]), D(data["csv.svg"]));
    }

    [Fact]
    public void EveryMetricPlotsAndTheDefaultOutIsPlotSvg()
    {
        var ce = Train("ce", "softmax-ce");
        foreach (var metric in RunMetric.Plottable)
        {
            var result = Plot(ce, "--metric", metric.Name, "--out", data[$"{metric.Name}.svg"]);
            Assert.True(result.Code == ExitCodes.Ok, $"{metric.Name}: {result.Error}");
            Assert.Contains(metric.Label, Texts(XDocument.Load(data[$"{metric.Name}.svg"])).Single(t => t.Contains(metric.Label)));
        }
        var here = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = data.RunsDirectory;
            Assert.Equal(ExitCodes.Ok, Plot("ce").Code);
            Assert.True(File.Exists(Path.Combine(data.RunsDirectory, PlotCommand.DefaultOut)));
        }
        finally { Environment.CurrentDirectory = here; }
    }

    [Fact]
    public void APngIsTheSameFigureAtTwiceItsSizeWithItsText()
    {
        var ce = Train("ce", "softmax-ce");
        var mse = Train("mse", "sigmoid-mse");
        var png = data["plot.png"];
        var result = Plot(ce, mse, "--out", png);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
        Assert.Equal(ExitCodes.Ok, Plot(ce, mse, "--out", data["plot.svg"]).Code);
        var svg = XDocument.Load(data["plot.svg"]).Root!;
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((2 * (int)(double)svg.Attribute("width")!, 2 * (int)(double)svg.Attribute("height")!), (bitmap.Width, bitmap.Height));
        // The title (12-30 px from the top of the SVG, centred) is drawn: a font was found, and the text did not vanish.
        var dark = 0;
        for (var row = 24; row < 60; row++)
            for (var column = bitmap.Width / 4; column < 3 * bitmap.Width / 4; column++)
                if (bitmap.GetPixel(column, row).Red < 128) dark++;
        Assert.True(dark > 500, $"{dark} dark pixels where the title should be");
    }

    [Fact]
    public void TrainWithPngWritesAPngBesideEachOfItsSvgPlots()
    {
        var result = data.Run(TrainCommand.Create, ["--name", "png", "--runs-dir", data.RunsDirectory, "--head", "softmax-ce", "--model", "linear",
            "--epochs", "1", "--validation-size", "100", "--png"]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var plots = Path.Combine(data.RunsDirectory, "png", "plots");
        var svgs = Directory.GetFiles(plots, "*.svg");
        Assert.NotEmpty(svgs);
        Assert.All(svgs, svg => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.ChangeExtension(svg, ".png"))[..4]));
        Assert.Contains($"PNG copies of {svgs.Length} plot(s) in {plots}", result.Output);
    }

    [Fact]
    public void RunsThatShareAFolderNameAreToldApartByTheirParents()
    {
        var root = data["study"];
        string[] folders = [Path.Combine(root, "mlp_softmax-ce", "seed-1"), Path.Combine(root, "mlp_sigmoid-mse", "seed-1"), Path.Combine(root, "other")];
        Assert.Equal(["mlp_softmax-ce/seed-1", "mlp_sigmoid-mse/seed-1", "study/other"], PlotCommand.Names(folders));
        Assert.Equal(["a", "b"], PlotCommand.Names([Path.Combine(root, "a"), Path.Combine(root, "b")]));
        // Components every run has alike (runs/, seed-1) are left out of the names.
        string Run(string study, string arm) => Path.Combine(root, study, "runs", arm, "seed-1");
        Assert.Equal(["quick/ce", "quick-m0/ce", "quick/mse"],
            PlotCommand.Names([Run("quick", "ce"), Run("quick-m0", "ce"), Run("quick", "mse")]));
    }

    [Fact]
    public void BadInputIsOneLineAndExitCode2()
    {
        var ce = Train("ce", "softmax-ce");
        var untested = Train("untested", "softmax-ce", "--no-test");
        var notARun = Directory.CreateDirectory(data["empty"]).FullName;
        var cases = new (string Expected, string[] Args)[]
        {
            ($"{notARun} is not a run folder (it has no metrics.jsonl or metrics.csv)", [ce, notARun]),
            ("does not exist", [data["nowhere"]]),
            ("--metric 'accuracy': expected test-error, validation-error, train-loss, dldz, saturated", [ce, "--metric", "accuracy"]),
            ("(did you mean test-error?)", [ce, "--metric", "test-eror"]),
            ("--metric test-error: no epoch row of the run has test_error", [untested]),
            ($"--out {data["no/such/folder/p.svg"]}: the folder {data["no/such/folder"]} does not exist", [ce, "--out", data["no/such/folder/p.svg"]]),
            ($"--out {notARun}: is a folder", [ce, "--out", notARun]),
            ("--out: the path is empty", [ce, "--out", ""]),
            ($"--out {data["p.pdf"]}: give a .svg or a .png file name", [ce, "--out", data["p.pdf"]]),
        };
        foreach (var (expected, args) in cases)
        {
            var (code, _, error) = Plot(args);
            Assert.True(code == ExitCodes.UsageError, $"{string.Join(' ', args)}: exit {code} {error}");
            var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
            Assert.StartsWith("torchloss: error: ", line);
            Assert.Contains(expected, line);
        }
        Assert.False(File.Exists(data["no/such/folder/p.svg"]));
    }

    [Fact]
    public void AnOutThatCannotBeWrittenIsOneLine()
    {
        var ce = Train("ce", "softmax-ce");
        // /proc takes no new files, not even from root.
        var (code, _, error) = Plot(ce, "--out", "/proc/p.svg");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("torchloss: error: --out /proc/p.svg: cannot write it (", Assert.Single(error.TrimEnd('\n').Split('\n')));
    }
}
