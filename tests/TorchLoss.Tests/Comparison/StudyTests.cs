using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using TorchLoss.Comparison;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Tests.Training;
using TorchLoss.Training;

namespace TorchLoss.Tests.Comparison;

/// <summary>A tiny study end to end: 300 synthetic training images, 1 epoch per run, two seeds.</summary>
[Collection(SerialCollection.Name)]
public class StudyTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("torchloss-study-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    internal static readonly StudyConfig Tiny = new()
    {
        Preset = "tiny", Dataset = "synthetic", Heads = ["softmax-ce", "softmax-mse", "sigmoid-mse"], Models = ["mlp:8", "linear"], Seeds = 2, Epochs = 1, FineTuneEpochs = 1,
        InitScales = [1, 4], LearningRates = [0.1, 0.5], TuningEpochs = 1, BatchSize = 20, ValidationSize = 100, TargetAccuracy = 0.5,
    };

    internal static StudyResult RunTiny(string dir, StudyConfig? config = null)
    {
        using var data = SyntheticImages.Data(train: 400, validation: 100);
        var result = Study.Run(config ?? Tiny, dir, data);
        StudyReport.Write(result, dir, "torchloss compare (test)");
        return result;
    }

    [Fact]
    public void ProducesEveryFileWithValidSvgAndConsistentNumbers()
    {
        var result = RunTiny(dir);
        foreach (var file in new[] { "report.md", "report.html", "summary.json", "summary.csv" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        // Per model: test error, gradient norms, dL/dz, saturation, reliability, confusion matrices, learning rate; plus the init-scale sweep.
        var svgs = Directory.GetFiles(Path.Combine(dir, "plots"), "*.svg");
        Assert.Equal(15, svgs.Length);
        foreach (var svg in svgs) Assert.Equal("svg", XDocument.Load(svg).Root!.Name.LocalName);
        Assert.Contains("softmax-ce, wrongly", File.ReadAllText(svgs.Single(f => Path.GetFileName(f) == "saturation_mlp-8.svg")));
        AssertPlotsReadLikeTheTables(dir);

        // 3 heads x 2 models random init + 3 x 2 fine-tune + 3 init-scale arms.
        Assert.Equal(15, result.Arms.Count);
        Assert.All(result.Arms, a => Assert.Equal(2, a.Runs.Count));

        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement;
        var csv = ReadCsv(Path.Combine(dir, "summary.csv"));
        var markdown = File.ReadAllText(Path.Combine(dir, "report.md"));
        var jsonArms = json.GetProperty("arms").EnumerateArray().ToList();
        Assert.Equal(result.Arms.Count, jsonArms.Count);
        Assert.Equal(result.Arms.Count, csv.Count);
        for (var i = 0; i < result.Arms.Count; i++)
        {
            var expected = result.Arms[i].FinalTestError;
            var fromJson = jsonArms[i].GetProperty("values").GetProperty("test_error_mean").GetDouble();
            var fromCsv = double.Parse(csv[i]["test_error_mean"], CultureInfo.InvariantCulture);
            Assert.Equal(result.Arms[i].Arm.Label, csv[i]["arm"]);
            Assert.Equal(expected.Mean, fromJson);
            Assert.Equal(expected.Mean, fromCsv);
            var perSeed = result.Arms[i].Runs.Select(r => r.Summary.FinalTestError!.Value).Average();
            Assert.Equal(perSeed, expected.Mean, 12);
            var cell = $"{(expected.Mean * 100).ToString("F2", CultureInfo.InvariantCulture)} ± {(expected.Std * 100).ToString("F2", CultureInfo.InvariantCulture)} %";
            Assert.Contains($"| {result.Arms[i].Arm.Label} | ", markdown);
            Assert.Contains(cell, markdown);
        }
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "report.html")));
    }

    /// <summary>Errors and shares in percent as in the tables (errors on a log axis), each curve with its seeds' spread,
    /// ticks at the init scales themselves.</summary>
    static void AssertPlotsReadLikeTheTables(string dir)
    {
        XNamespace svg = "http://www.w3.org/2000/svg";
        XDocument Plot(string name) => XDocument.Load(Path.Combine(dir, "plots", name));
        List<string> Texts(XDocument doc, string cls) =>
            doc.Descendants(svg + "text").Where(t => (string?)t.Attribute("class") == cls).Select(t => t.Value).ToList();
        int Curves(XDocument doc) => doc.Descendants(svg + "path").Count(p => p.Attribute("class") is null && p.Element(svg + "title") is not null);

        var error = Plot("test-error_mlp-8.svg");
        Assert.Contains("test error (log)", error.Descendants(svg + "text").Select(t => t.Value));
        Assert.All(Texts(error, "y-tick"), t => Assert.Matches(@"^\d+(\.\d+)? %$", t));
        Assert.Equal(["1", "2"], Texts(error, "x-tick")); // 1 epoch from random weights, 1 of fine-tuning
        Assert.Equal(Curves(error), error.Descendants(svg + "polygon").Count()); // a band on every curve
        Assert.Equal(["min–max over 2 seeds"], Texts(error, "spread-label"));

        var saturation = Plot("saturation_mlp-8.svg");
        Assert.Equal(["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"], Texts(saturation, "y-tick"));

        var rates = Plot("learning-rate_mlp-8.svg");
        Assert.Equal(["0.1", "0.5"], Texts(rates, "x-tick")); // the grid's own rates
        Assert.Equal(3, Curves(rates)); // one line per head
        Assert.All(Texts(rates, "y-tick"), t => Assert.EndsWith(" %", t));

        var sweep = Plot("init-scale.svg");
        Assert.Equal(["1", "4"], Texts(sweep, "x-tick"));
        Assert.Equal(2 * 3, sweep.Descendants(svg + "path").Count(p => (string?)p.Attribute("class") == "error-bar")); // 2 scales x 3 heads
        Assert.Contains("error bars: min–max over 2 seeds", File.ReadAllText(Path.Combine(dir, "report.md")));
    }

    static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvHelper.CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read()) rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h)!));
        return rows;
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("autograd")]
    public void EveryPlannedRunUsesTheStudysEngine(string engine)
    {
        var plan = new StudyPlan(Tiny with { Engine = engine });
        var runs = plan.TuningRuns().Concat(plan.ArmRuns((_, _) => 0.1, dir)).ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, r => Assert.Equal(engine, r.Config.Engine));
    }

    [Fact]
    public void LearningRatesAreChosenOnValidationWithoutTouchingTheTestSplit()
    {
        var result = RunTiny(dir);
        foreach (var choice in result.LearningRates.Values)
        {
            Assert.Equal(choice.Tried.MinBy(t => t.ValidationError).LearningRate, choice.Chosen);
            var folder = Path.Combine(dir, new StudyPlan(Tiny).TuningFolder(choice.Model, choice.Head, choice.Chosen));
            var config = JsonFiles.Read<RunConfigFile>(Path.Combine(folder, RunFolder.ConfigFile)).Config;
            Assert.False(config.EvaluateTest);
            Assert.All(MetricsLog.Read(folder).Where(r => r.Kind == MetricRecord.EpochKind), r => Assert.True(double.IsNaN(r["test_error"])));
        }
        Assert.All(result.Arms, a => Assert.Equal(result.LearningRates[(a.Arm.Model, a.Arm.Head)].Chosen, a.LearningRate));
    }

    [Fact]
    public void ADivergedTuningRunIsNeverChosenWhateverItsEarlierValidationError()
    {
        RunResult Tuned(double lr, double bestValidation, RunStatus status) => new(
            new PlannedRun("t", new TrainConfig { Model = "mlp:8", Head = "softmax-ce", LearningRate = lr }, null, 1),
            new RunSummary { Status = status, Epochs = 2, Steps = 10, FinalTrainLoss = 0, FinalTrainError = 0, TrainingSeconds = 1,
                StepsPerSecond = 10, BestValidationError = bestValidation }, [], Reused: false);
        var choice = Study.ChooseLearningRates([Tuned(0.1, 0.20, RunStatus.Completed), Tuned(1.0, 0.05, RunStatus.Diverged)])[("mlp:8", "softmax-ce")];
        Assert.Equal(0.1, choice.Chosen);
        Assert.Equal([(0.1, 0.20), (1.0, 1.0)], choice.Tried);
    }

    [Fact]
    public void TheReadingIsComputedFromTheResults()
    {
        var result = RunTiny(dir);
        var findings = Findings.Read(result);
        var ce = result.Arms.First(a => a.Arm.Kind == ArmKind.RandomInit && a.Arm.Head == "softmax-ce" && a.Arm.Model == "mlp:8");
        Assert.Contains(findings, f => f.Contains($"softmax-ce ends at {ce.FinalTestError.Percent()} test error"));
        foreach (var arm in result.Arms.Where(a => a.Arm.Kind == ArmKind.RandomInit))
        {
            var stuck = arm.StuckSeeds > 0; // the rule is per seed: "stuck in k of n seeds" when they split
            Assert.Equal(stuck, findings.Any(f => f.StartsWith(arm.Arm.ModelLabel) && f.Contains($"{arm.Arm.Head} is stuck")));
        }
        var fineTuned = result.Arms.First(a => a.Arm.Kind == ArmKind.FineTune && a.Arm.Head == "sigmoid-mse" && a.Arm.Model == "linear");
        Assert.Contains(findings, f => f.Contains($"fine-tuned with sigmoid-mse ends at {fineTuned.FinalTestError.Percent()}"));
    }

    [Fact]
    public void FinishedRunsAreReusedAndChangedOnesRedone()
    {
        var first = RunTiny(dir);
        Assert.Equal(0, first.RunsReused);
        var second = RunTiny(dir);
        Assert.Equal(0, second.RunsTrained);
        Assert.Equal(first.RunsTrained, second.RunsReused);
        Assert.Equal(first.Arms.Select(a => a.FinalTestError), second.Arms.Select(a => a.FinalTestError));

        var longer = RunTiny(dir, Tiny with { Epochs = 2 });
        // Tuning runs are unchanged; every arm run trains again (fine-tune runs start from changed CE runs).
        Assert.Equal(new StudyPlan(Tiny).TuningRuns().Count(), longer.RunsReused);
        Assert.All(longer.Arms.Where(a => a.Arm.Kind == ArmKind.RandomInit), a => Assert.All(a.Runs, r => Assert.Equal(2, r.Summary.Epochs)));
    }
}
