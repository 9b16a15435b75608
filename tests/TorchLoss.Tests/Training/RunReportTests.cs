using System.Xml.Linq;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>A run's own plots and report.md, from epoch rows made up here (no training).</summary>
public sealed class RunReportTests : IDisposable
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Epoch rows as the trainer writes them: epoch 0 without train values, a test error only when scored.</summary>
    static List<MetricRecord> Epochs(int count, bool test) => Enumerable.Range(0, count + 1).Select(e => new MetricRecord(MetricRecord.EpochKind, e, e * 10L,
    [
        new("train_loss", e == 0 ? double.NaN : 1.0 / e), new("train_error", e == 0 ? double.NaN : 0.5 / e),
        new("validation_loss", 1.2 / (e + 1)), new("validation_error", 0.6 / (e + 1)),
        new("test_loss", test ? 1.3 / (e + 1) : double.NaN), new("test_error", test ? 0.65 / (e + 1) : double.NaN),
        new("output_grad_norm", 0.1 * (e + 1)), new("saturated_fraction", 0.1 * e), new("wrong_saturated_fraction", 0.01 * e),
        new("grad_norm_mean/layer1.weight", 0.01), new("grad_norm_mean/layer1.bias", 0.02), new("grad_norm_mean/layer2.weight", 0.03),
        new("parameter_norm", 2.0 + e), new("shared_output_norm", 0.5),
    ])).ToList();

    sealed record LinePlotInfo(string File, List<string> Series, List<string> YTicks, List<string> XTicks);

    static LinePlotInfo Read(string file, string path)
    {
        var doc = XDocument.Load(path);
        List<string> Texts(string cls) => doc.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == cls).Select(t => t.Value).ToList();
        return new(file, doc.Descendants(Svg + "path").Select(p => p.Element(Svg + "title")?.Value).OfType<string>().ToList(), Texts("y-tick"), Texts("x-tick"));
    }

    [Fact]
    public void EveryMetricTheRowsHaveGetsAPlotAndTheErrorsAreInPercentPerEpoch()
    {
        var plots = RunReport.Plots(Epochs(4, test: true)).ToDictionary(p => p.File, p => p.Plot);
        Assert.Equal(["error.svg", "loss.svg", "output-gradient.svg", "saturation.svg", "gradient-norms.svg", "weight-norms.svg"], plots.Keys);
        var error = plots["error.svg"];
        Assert.Equal(["train", "validation", "test"], error.Series.Select(s => s.Name));
        Assert.True(error.LogY);
        Assert.Equal("%", error.YUnit);
        Assert.Equal((1.0, 50.0), error.Series[0].Points[1]); // epoch 1's train error of 0.5, in percent
        Assert.Equal(["layer1.weight", "layer2.weight"], plots["gradient-norms.svg"].Series.Select(s => s.Name));
        var norms = plots["weight-norms.svg"];
        Assert.Equal(["‖θ‖", "shared output part"], norms.Series.Select(s => s.Name));
        Assert.Equal((4.0, 6.0), norms.Series[0].Points[^1]); // from epoch 0, the initial model
        Assert.True(norms.Series[1].Dashed);
    }

    [Fact]
    public void TheReportNamesTheSettingsAndTheFinalNumbersAndEmbedsThePlotsItWrote()
    {
        var run = new RunFolder(temp["run"]);
        Directory.CreateDirectory(run.Path);
        var config = new TrainConfig { Head = "sigmoid-mse", Model = "mlp:16", LearningRate = 0.3, Momentum = 0.9, BatchSize = 20, Epochs = 4, Seed = 7 };
        var environment = new RunEnvironment("1", "2.10", "0.107", "10", "linux", "mkl", "cpu", "fused", null, 2, 1, 2, "36-16-4 sigmoid MLP", 100,
            "sigmoid + squared error", "1/2 sum", "rows: 300 train", null);
        var summary = new RunSummary { Status = RunStatus.Completed, Epochs = 4, Steps = 40, FinalTrainLoss = 0.25, FinalTrainError = 0.125,
            FinalValidationError = 0.12, FinalTestError = null, BestEpoch = 4, BestValidationError = 0.12, TrainingSeconds = 1.5, StepsPerSecond = 26.7 };
        var written = RunReport.Write(run, config, environment, summary, Epochs(4, test: false));

        var report = File.ReadAllText(run.File(RunReport.File));
        Assert.StartsWith("# Run run\n", report);
        Assert.Contains("sigmoid + squared error (sigmoid-mse), 36-16-4 sigmoid MLP (mlp:16); rows: 300 train; SGD lr 0.3, momentum 0.9, batch 20", report);
        Assert.Contains("4 epoch(s), seed 7; fused engine on cpu.", report);
        Assert.Contains("Status: completed after 4 epoch(s), 40 steps in 1.50 s", report);
        Assert.Contains("train error 12.50 %, validation error 12.00 %, test error not scored.", report);
        Assert.Contains("Best validation error 12.00 % at epoch 4.", report);
        foreach (var plot in written)
        {
            Assert.Contains($"]({plot})", report);
            Assert.Equal("svg", XDocument.Load(run.File(plot)).Root!.Name.LocalName);
        }
        // Without a scored test split, the error plot shows train and validation only, epochs 0 to 4 as its ticks.
        var error = Read("error.svg", run.File("plots/error.svg"));
        Assert.Equal(["train", "validation"], error.Series);
        Assert.Equal(["0", "1", "2", "3", "4"], error.XTicks);
        Assert.All(error.YTicks, t => Assert.EndsWith(" %", t));
        Assert.Empty(Directory.GetFiles(run.Path, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void RowsWithoutDiagnosticsGetNoEmptyPlots()
    {
        var rows = Epochs(2, test: true).Select(r => r with { Values = r.Values.Where(v => v.Key.EndsWith("_error", StringComparison.Ordinal)).ToList() }).ToList();
        Assert.Equal(["error.svg"], RunReport.Plots(rows).Select(p => p.File));
    }
}
