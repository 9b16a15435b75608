using System.Text.Json;
using System.Xml.Linq;
using TorchLoss.Comparison;
using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Tests.Comparison;

/// <summary>The report's ML.NET section: the agreement line, and per arm the confusion matrix summed over seeds, as a table,
/// a heat-map panel and in summary.json.</summary>
[Collection(SerialCollection.Name)]
public class StudyConfusionTests : IDisposable
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    readonly string dir = Directory.CreateTempSubdirectory("torchloss-study-confusion-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void EachArmsConfusionMatrixIsItsSeedsSummedInTheTableTheHeatMapAndSummaryJson()
    {
        var result = StudyTests.RunTiny(dir);
        var markdown = File.ReadAllText(Path.Combine(dir, StudyReport.Markdown));
        var runs = result.Arms.Sum(a => a.Runs.Count);
        Assert.Contains($"## {StudyConfusion.Title}", markdown);
        Assert.Contains($"ML.NET's evaluation of the {runs} final models' test predictions agrees with ours", markdown);
        Assert.Contains(StudyConfusion.Title, File.ReadAllText(Path.Combine(dir, StudyReport.Html)));
        var arms = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, StudyReport.Json))).RootElement.GetProperty("arms").EnumerateArray().ToList();

        foreach (var (arm, json) in result.Arms.Zip(arms))
        {
            var matrix = arm.ConfusionMatrix!;
            // Summed over both seeds: 100 test images each, rows the true class (25 images of each of the 4).
            var expected = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 4).Select(j => arm.Runs.Sum(r => r.Summary.MlNet!.ConfusionMatrix[i][j])));
            Assert.Equal(expected, matrix);
            Assert.All(matrix, row => Assert.Equal(50, row.Sum()));
            Assert.Equal(matrix, json.GetProperty("confusion_matrix").Deserialize<long[][]>());
            Assert.Contains($"### {arm.Arm.ModelLabel}: {arm.Arm.Label} (2 seed(s), 200 test predictions)", markdown);
            var right = (double)matrix[0][0] / 50 * 100;
            Assert.Contains($"| 0 | {string.Join(" | ", matrix[0])} | {right.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} % |", markdown);
        }

        foreach (var model in StudyTests.Tiny.Models)
        {
            var svg = XDocument.Load(Path.Combine(dir, "plots", $"confusion_{model.Replace(':', '-')}.svg"));
            var cells = svg.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToList();
            Assert.Equal(result.Arms.Count(a => a.Arm.Model == model) * 16, cells.Count);
            Assert.Contains($"![Confusion matrices of the final models on the test split, {result.Arms.First(a => a.Arm.Model == model).Arm.ModelLabel}", markdown);
        }
    }

    [Fact]
    public void TheAgreementLineNamesTheLargestDisagreementAndTheRunsWithoutMlNet()
    {
        RunResult Run(int seed, double testError, double? microAccuracy, double trueProbability) => new(
            new PlannedRun($"r{seed}", new TrainConfig { Model = "linear", Head = "sigmoid-mse" }, new Arm(ArmKind.RandomInit, "linear", "sigmoid-mse"), seed),
            new RunSummary
            {
                Status = RunStatus.Completed, Epochs = 1, Steps = 1, FinalTrainLoss = 0, FinalTrainError = 0, TrainingSeconds = 1, StepsPerSecond = 1,
                FinalTestError = testError,
                MlNet = microAccuracy is { } a ? new MlNetMetrics(2, a, a, -Math.Log(Math.Max(trueProbability, 1e-15)), 0, [0, 0], [a, 1], [[1, 0], [0, 1]]) : null,
            },
            [], Reused: true, TestPredictions: new SavedPredictions([true], [0.9], [trueProbability]));
        StudyResult Study(params RunResult[] runs) => new(StudyConfig.Default with { Models = ["linear"] }, new Dictionary<(string, string), LearningRateChoice>(),
            [new ArmResult(new Arm(ArmKind.RandomInit, "linear", "sigmoid-mse"), 0.1, runs, 0.9, StuckRule.TenClasses)], TimeSpan.Zero, 0, 0);

        var agrees = MlNetAgreement.Of(Study(Run(1, 0.1, 0.9, 0.5), Run(2, 0.2, 0.8, 0.25)));
        Assert.Equal(2, agrees.Runs);
        Assert.StartsWith("ML.NET's evaluation of the 2 final models' test predictions agrees with ours", agrees.Sentence);

        // Seed 2: a tie ML.NET broke otherwise (0.01 apart), and a true-class probability of 0 (clamped at 1e-15 there, 1e-12 here).
        var differs = MlNetAgreement.Of(Study(Run(1, 0.1, 0.9, 0.5), Run(2, 0.2, 0.79, 0), Run(3, 0.2, null, 0.5)));
        Assert.Equal((2, 1), (differs.Runs, differs.RunsWithout));
        Assert.Equal(0.01, differs.LargestAccuracyDifference, 12);
        Assert.Equal(Math.Log(1e-12) - Math.Log(1e-15), differs.LargestLogLossDifference, 9);
        Assert.Contains("differs from ours: its micro accuracy differs from 1 − our test error by up to 1 points (sigmoid-mse, softmax regression, seed 2;", differs.Sentence);
        Assert.Contains("its log-loss differs from our test NLL by up to 6.91 (sigmoid-mse, softmax regression, seed 2; ML.NET clamps", differs.Sentence);
        Assert.EndsWith("1 run(s) predate ML.NET's evaluation (no ml_net in their summary.json) and are left out.", differs.Sentence);

        // A study whose runs all predate ml_net (reused from before it existed) still gets its report.
        var none = MlNetAgreement.Of(Study(Run(1, 0.1, null, 0.5), Run(2, 0.2, null, 0.5)));
        Assert.Equal((0, 2), (none.Runs, none.RunsWithout));
        Assert.Equal("No run has ML.NET's evaluation. 2 run(s) predate ML.NET's evaluation (no ml_net in their summary.json) and are left out.", none.Sentence);
    }
}
