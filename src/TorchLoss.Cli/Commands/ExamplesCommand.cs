using System.CommandLine;
using System.Text.Json;
using TorchLoss.Analysis;
using TorchLoss.Analysis.Claims;
using TorchLoss.Heads;
using TorchLoss.Reporting;
using TorchLoss.Data;
using TorchSharp;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss examples`: worked numbers a reader of the blog posts can check by hand.</summary>
public static class ExamplesCommand
{
    /// <summary>The largest rate of the 2-class check (20x the default). It passes here up to 50 at the defaults; far
    /// above, full-batch descent on MNIST pixels oscillates, the two float64 runs drift apart by rounding rather than by
    /// the identity failing, and near 1e308 the logistic rate (twice it) overflows.</summary>
    public const double MaxLearningRate = 10;

    /// <summary>The most descent steps: about 5 ms each on 2,000 images (2 cores), so 10,000 take under a minute.</summary>
    public const int MaxSteps = 10_000;

    public static Command Create(TextWriter? output = null)
    {
        var task = new Option<string>("--task") { Description = "MNIST digits for the 2-class check, PvN (label 1 = P).", DefaultValueFactory = _ => "3v5" };
        var trainLimit = NumericOptions.Int("--train-limit", "Training images of the two digits used (at least 2).", 2000, min: 2);
        var steps = NumericOptions.Int("--steps", $"Full-batch gradient-descent steps of the 2-class check, 1 to {MaxSteps}.", 200, min: 1, max: MaxSteps);
        var lr = NumericOptions.Double("--lr", $"Learning rate of the softmax regression (the logistic one uses twice it), up to {Numbers.Limit(MaxLearningRate)}.", 0.5, positive: true, max: MaxLearningRate);
        var noMnist = new Option<bool>("--no-mnist") { Description = "Skip the MNIST check (no data needed)." };
        var dataDir = PathOptions.OptionalPath("--data-dir", "Dataset directory (default: $TORCHLOSS_DATA_DIR, else the checkout's datasets/); MNIST is fetched if missing.");
        var seed = NumericOptions.Seed("--seed", "Seed of the random weights of the over-parameterisation example.", 1);
        var json = new Option<bool>("--json") { Description = "Print one JSON object (the posts' claims with our values and verdicts, and the checks) instead of the text." };
        var command = new Command("examples",
            "Worked numbers: CE and squared error (1/2-sum and mean-over-classes) of two predictions for target (1,0,0); " +
            "softmax(0.2, 5, 0.3); softmax of logits near 1000, stable versus naive; adding one vector to every class's weights " +
            "leaves predictions unchanged; a 2-class softmax regression equals logistic regression with w_1 - w_0, trained both " +
            "ways on two MNIST digits; then what the posts say about these numbers and whether it holds. Exit 1 if a check fails.")
        {
            task, trainLimit, steps, lr, noMnist, dataDir, seed, json,
        };
        command.SetAction(parse =>
        {
            var binary = BinaryTask.Parse(parse.GetValue(task)!);
            if (binary.IsOneVsRest) throw new UserException("--task needs two digits, e.g. 3v5");
            var console = output ?? Console.Out;
            var asJson = parse.GetValue(json);
            var writer = asJson ? TextWriter.Null : console;
            var checks = new List<(string Name, bool Passed)>();
            var (target, losses) = Losses(writer, checks);
            var softmax = Softmax(writer, checks);
            Overflow(writer, checks);
            Shift(writer, checks, parse.GetValue(seed));
            if (!parse.GetValue(noMnist))
            {
                var options = new DataOptions { Binary = binary, ValidationSize = 0, TrainLimit = parse.GetValue(trainLimit) };
                using var data = DatasetStore.AtDefaultLocation(parse.GetValue(dataDir)).Ensure("mnist").Load(options, torch.CPU);
                TwoClass(writer, checks, data, binary, parse.GetValue(steps), parse.GetValue(lr));
            }
            var claims = Claims(target, losses, softmax);
            ClaimsConsole.Print(writer, claims);
            var failed = checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
            if (asJson)
                console.WriteLine(JsonSerializer.Serialize(new
                {
                    claims,
                    checks = checks.Select(c => new { name = c.Name, passed = c.Passed }),
                    passed = failed.Count == 0,
                }, JsonFiles.Options));
            writer.WriteLine(failed.Count == 0
                ? $"checks: all {checks.Count} passed."
                : $"checks: {failed.Count} of {checks.Count} FAILED: {string.Join("; ", failed)}.");
            return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    static string Vector(IEnumerable<double> values, int digits = 6) => $"({string.Join(", ", values.Select(v => Numbers.General(v, digits)))})";

    /// <summary>The posts' statements about these examples, with the saturation sweep of `saturation`'s defaults
    /// (margins -30 to 30, 10 classes) for the two softmax heads.</summary>
    static IReadOnlyList<SourceClaim> Claims(IReadOnlyList<double> target, IReadOnlyList<PredictionLosses> losses, IReadOnlyList<double> softmax)
    {
        var curves = SaturationSweep.Run([new SoftmaxCrossEntropyHead(), new SoftmaxSquaredErrorHead(SquaredErrorReduction.HalfSum)], 10, -30, 30, 241);
        return ExampleClaims.All(target, losses, softmax, curves[0], curves[1]);
    }

    static (double[] Target, IReadOnlyList<PredictionLosses> Rows) Losses(TextWriter output, List<(string, bool)> checks)
    {
        double[] target = [1, 0, 0];
        var rows = new[] { new[] { 0.8, 0.1, 0.1 }, [0.8, 0.15, 0.05] }.Select(p => WorkedExamples.Losses(target, p)).ToList();
        output.WriteLine($"1. Cross-entropy and squared error of two predictions, target {Vector(target)}");
        output.WriteLine();
        ConsoleTable.Write(output, ["prediction", "CE (nats)", "1/2 sum (p-y)^2", "1/C sum (p-y)^2", "sum (p-y)^2"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                Vector(r.Prediction), Numbers.General(r.CrossEntropy), Numbers.General(r.HalfSumSquaredError),
                Numbers.General(r.MeanSquaredError), Numbers.General(r.SumOfSquares),
            ]).ToList(), textColumns: 1);
        output.WriteLine();
        output.WriteLine($"CE sees only the true class's probability: both cost -ln 0.8 = {Numbers.General(-Math.Log(0.8))} nats " +
                         $"(in bits {Numbers.General(-Math.Log2(0.8))}, with log10 {Numbers.General(-Math.Log10(0.8))}: a source printing one of " +
                         "these used that base). Squared error also sees how the wrong mass is spread: the uneven (0.15, 0.05) costs more. " +
                         "The product's default is the 1/2-sum column; 'mean' is 1/C of the sum, here 1/3.");
        output.WriteLine();
        checks.Add(("CE of both predictions is -ln 0.8", rows.All(r => Math.Abs(r.CrossEntropy + Math.Log(0.8)) < 1e-12)));
        checks.Add(("squared error tells the predictions apart", rows[1].HalfSumSquaredError > rows[0].HalfSumSquaredError));
        return (target, rows);
    }

    static IReadOnlyList<double> Softmax(TextWriter output, List<(string, bool)> checks)
    {
        double[] logits = [0.2, 5, 0.3];
        var p = WorkedExamples.Softmax(logits);
        output.WriteLine($"2. softmax{Vector(logits)} = {Vector(p)}, sum {Numbers.General(p.Sum(), 15)}");
        output.WriteLine();
        checks.Add(("softmax sums to 1", Math.Abs(p.Sum() - 1) < 1e-15));
        return p;
    }

    static void Overflow(TextWriter output, List<(string, bool)> checks)
    {
        var result = WorkedExamples.Overflow([1000, 1001, 1002]);
        output.WriteLine($"3. softmax{Vector(result.Logits)}: exp(1000) overflows float64 (largest finite value about e^709.78)");
        output.WriteLine($"   naive    exp(z) / sum exp(z)                 = {Vector(result.Naive)}");
        output.WriteLine($"   stable   exp(z - max z) / sum exp(z - max z) = {Vector(result.Stable)}  (= softmax(0, 1, 2))");
        output.WriteLine($"   libtorch softmax (used by the heads)         = {Vector(result.Library)}, max difference from stable {Numbers.Sci(result.StableVersusLibrary)}");
        output.WriteLine();
        checks.Add(("naive softmax overflows at 1000", result.NaiveOverflows));
        checks.Add(("stable softmax is finite and equals libtorch's", result.StableIsFinite && result.StableVersusLibrary < 1e-15));
    }

    static void Shift(TextWriter output, List<(string, bool)> checks, ulong seed)
    {
        TorchRuntime.ManualSeed(seed);
        using var scope = torch.NewDisposeScope();
        var result = WorkedExamples.ShiftEveryClass(torch.randn([8, 5], ScalarType.Float64), torch.randn([4, 5], ScalarType.Float64),
            torch.randn([4], ScalarType.Float64), torch.randn([5], ScalarType.Float64) * 3, 2.5);
        output.WriteLine("4. Over-parameterisation: softmax regression with 4 classes on 8 random inputs; the same random vector v " +
                         "added to every class's weights (and 2.5 to every bias)");
        output.WriteLine($"   logits change by up to {Numbers.General(result.MaxLogitChange, 4)}, probabilities by at most " +
                         $"{Numbers.Sci(result.MaxProbabilityChange)}: softmax(z + s) = softmax(z), so one class's weights can be fixed (e.g. at 0).");
        output.WriteLine();
        checks.Add(("shifting every class's weights leaves predictions unchanged", result.MaxProbabilityChange < 1e-12 && result.MaxLogitChange > 1));
    }

    static void TwoClass(TextWriter output, List<(string, bool)> checks, ClassificationData data, BinaryTask task, int steps, double learningRate)
    {
        var r = TwoClassEquivalence.Train(data.Train.X, data.Train.Y, data.Test.X, data.Test.Y, steps, learningRate);
        output.WriteLine($"5. 2-class softmax regression = logistic regression with w = w_1 - w_0 (MNIST {task.Positive} vs {task.Negative}: " +
                         $"{r.TrainExamples} training, {r.TestExamples} test images, pixels in [0, 1], float64)");
        output.WriteLine($"   both from zero, {r.Steps} full-batch gradient-descent steps: softmax + CE at rate {Numbers.General(r.LearningRate)}, " +
                         $"sigmoid + BCE at {Numbers.General(2 * r.LearningRate)} (w_1 - w_0 moves twice as fast as w at equal rates)");
        output.WriteLine($"   max |p_softmax - p_logistic| on the test images {Numbers.Sci(r.MaxProbabilityDifference)}, " +
                         $"max |(w_1 - w_0) - w| {Numbers.Sci(r.MaxWeightDifference)}; test accuracy {Numbers.Percent(r.SoftmaxTestAccuracy)} and {Numbers.Percent(r.LogisticTestAccuracy)}");
        output.WriteLine($"   (logistic regression at the same rate {Numbers.General(r.LearningRate)} instead: max |p difference| {Numbers.General(r.MaxProbabilityDifferenceSameRate, 3)})");
        output.WriteLine();
        checks.Add(("2-class softmax regression and logistic regression agree", r.MaxProbabilityDifference < 1e-9 && r.MaxWeightDifference < 1e-9));
    }
}
