using System.CommandLine;
using System.Text.Json;
using TorchLoss.Analysis;
using TorchLoss.Analysis.Claims;
using TorchLoss.Reporting;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss landscape`: CE and MSE of one-weight logistic regression, with first and second derivatives in w.</summary>
public static class LandscapeCommand
{
    /// <summary>The largest |w| and |x|: the curvature squares x and the loss sums |w x| over the samples, so both
    /// must stay far below 1e308 for every value to be finite (past |w x| ~ 40 sigmoid is saturated anyway).</summary>
    public const double MaxMagnitude = 1e150;

    const string Overflow = "larger values overflow x^2 and w x in float64";

    /// <summary>Grid size: 100,000 points take a couple of seconds; 10^8 would hold gigabytes of tensors.</summary>
    public const int MaxPoints = 100_000;

    /// <summary>Points per parameter of the (w, b) grid: 301^2 points x 100 samples stay within 10^7 values.</summary>
    public const int MaxGridPoints = 301;

    /// <summary>Samples: each grid point holds every sample's logit, so points x samples stays within 10^7 values.</summary>
    public const int MaxSamples = 100;

    public static Command Create(TextWriter? output = null)
    {
        var samples = new Option<string>("--samples")
        {
            Description = $"Samples X:LABEL, comma-separated (labels 0 or 1; at most {MaxSamples}, |X| up to {Numbers.Limit(MaxMagnitude)}).",
            DefaultValueFactory = _ => "2:1,1:1,0.5:0",
        };
        var range = new Option<string>("--range") { Description = $"Range of the weight w, FROM:TO (e.g. --range=-6:6), within +-{Numbers.Limit(MaxMagnitude)}.", DefaultValueFactory = _ => "-15:15" };
        var points = NumericOptions.Int("--points", $"Grid points over the range, 2 to {MaxPoints}.", 601, min: 2, max: MaxPoints);
        var outDir = PathOptions.Path("--out", "Output folder for landscape.csv and the SVG plots.", Path.Combine("runs", "landscape")).Shows("DIR");
        var bRange = new Option<string>("--b-range") { Description = $"Range of the bias b of the two-parameter model sigmoid(w x + b), FROM:TO (w over --range), within +-{Numbers.Limit(MaxMagnitude)}.", DefaultValueFactory = _ => "-6:6" };
        var gridPoints = NumericOptions.Int("--grid-points", $"Points per parameter of the (w, b) grid, 2 to {MaxGridPoints}.", 61, min: 2, max: MaxGridPoints);
        var json = new Option<bool>("--json") { Description = "Print one JSON object (each loss's stationary points, non-convex intervals and plateaus; the posts' claims with our values and verdicts; the files) instead of the text." };
        var command = new Command("landscape",
            "Logistic regression h = sigmoid(w x) with a single weight on a few samples: CE and MSE (1/2 sum (h - y)^2) " +
            "with their first and second derivatives in w over a range. Second derivatives both by the seeds' closed forms " +
            $"(CE: {Landscape.CrossEntropyCurvatureFormula}; MSE: {Landscape.SquaredErrorCurvatureFormula}) and by autograd's double " +
            "backward, checked equal (exit 1 otherwise); per loss the stationary points (sign changes of dL/dw), where d2L/dw2 < 0 " +
            "and the plateaus, so that non-convexity is told apart from flat ground. With a bias too, h = sigmoid(w x + b): the 2x2 " +
            "Hessian of each loss over a (w, b) grid and its smallest eigenvalue (CE's never negative, MSE's negative somewhere). " +
            "Then what the posts say and whether it holds. Writes CSVs and SVG plots.")
        {
            samples, range, points, bRange, gridPoints, outDir, json,
        };
        command.SetAction(parse =>
        {
            var pointCount = parse.GetValue(points);
            var (from, to) = OptionParsing.Range("--range", parse.GetValue(range)!, MaxMagnitude, Overflow);
            var data = OptionParsing.LabelledSamples("--samples", parse.GetValue(samples)!).Select(s => new LabelledPoint(s.X, s.Y)).ToList();
            if (data.Count > MaxSamples) throw new UserException($"--samples: {data.Count} samples, at most {MaxSamples} are allowed");
            if (data.FirstOrDefault(s => Math.Abs(s.X) > MaxMagnitude) is { } big)
                throw new UserException($"--samples: x = {Numbers.Limit(big.X)} is outside +-{Numbers.Limit(MaxMagnitude)} ({Overflow})");
            var biases = OptionParsing.Range("--b-range", parse.GetValue(bRange)!, MaxMagnitude, Overflow);
            var landscape = Landscape.Compute(data, from, to, pointCount);
            var twoParameter = TwoParameterLandscape.Compute(data, (from, to), biases, parse.GetValue(gridPoints));
            var files = LandscapeFiles.Write(landscape, parse.GetValue(outDir)!, twoParameter);
            var claims = LandscapeClaims.All(landscape, twoParameter);
            if (parse.GetValue(json)) PrintJson(landscape, twoParameter, claims, files, output ?? Console.Out);
            else Print(landscape, twoParameter, claims, files, output ?? Console.Out);
            return landscape.CurvaturesAgree ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    static void PrintJson(Landscape landscape, TwoParameterLandscape twoParameter, IReadOnlyList<SourceClaim> claims, IReadOnlyList<string> files, TextWriter output)
    {
        object Shape(LossShape s) => new
        {
            loss = s.Loss,
            stationary_points = s.Stationary.Select(p => new { w = p.W, kind = p.IsMinimum ? "minimum" : "maximum" }),
            non_convex = s.NonConvex.Select(i => new { from = i.From, to = i.To }),
            plateaus = s.Plateaus,
            peak_slope = s.PeakSlope,
            trouble = LandscapeShapeConsole.Trouble(s),
        };
        output.WriteLine(JsonSerializer.Serialize(new
        {
            samples = landscape.Samples,
            from = landscape.Rows[0].W,
            to = landscape.Rows[^1].W,
            points = landscape.Rows.Count,
            curvatures_agree = landscape.CurvaturesAgree,
            shapes = new[] { Shape(landscape.CrossEntropyShape), Shape(landscape.SquaredErrorShape) },
            two_parameter = new
            {
                w = new { from = twoParameter.Rows[0].W, to = twoParameter.Rows[^1].W },
                b = new { from = twoParameter.Rows[0].B, to = twoParameter.Rows[^1].B },
                points = twoParameter.Rows.Count,
                hessians = new[] { twoParameter.CrossEntropy, twoParameter.SquaredError },
            },
            claims,
            files,
        }, JsonFiles.Options));
    }

    static void Print(Landscape landscape, TwoParameterLandscape twoParameter, IReadOnlyList<SourceClaim> claims, IReadOnlyList<string> files, TextWriter output)
    {
        var rows = landscape.Rows;
        output.WriteLine($"landscape: h = sigmoid(w x), samples {string.Join(", ", landscape.Samples.Select(s => $"({Numbers.General(s.X)}, {s.Y})"))}; " +
                         $"w from {Numbers.General(rows[0].W)} to {Numbers.General(rows[^1].W)} ({rows.Count} points)");
        output.WriteLine("losses summed over the samples: CE = -sum [y log h + (1-y) log(1-h)], MSE = 1/2 sum (h - y)^2");
        output.WriteLine();
        var step = Math.Max(1, (rows.Count - 1) / 8);
        var shown = Enumerable.Range(0, rows.Count).Where(i => i % step == 0 || i == rows.Count - 1).Select(i => rows[i]);
        ConsoleTable.Write(output, ["w", "CE L", "CE dL/dw", "CE d2L/dw2", "MSE L", "MSE dL/dw", "MSE d2L/dw2"],
            shown.Select(r => (IReadOnlyList<string>)
            [
                Numbers.General(r.W, 4), Numbers.General(r.CrossEntropy, 4), Numbers.General(r.CrossEntropySlope, 4), Numbers.General(r.CrossEntropyCurvature, 4),
                Numbers.General(r.SquaredError, 4), Numbers.General(r.SquaredErrorSlope, 4), Numbers.General(r.SquaredErrorCurvature, 4),
            ]).ToList(), textColumns: 0);
        output.WriteLine();
        output.WriteLine("second derivative, closed form vs autograd double backward:");
        foreach (var (name, formula, error) in new[]
                 {
                     ("CE ", Landscape.CrossEntropyCurvatureFormula, landscape.CrossEntropyCurvatureError),
                     ("MSE", Landscape.SquaredErrorCurvatureFormula, landscape.SquaredErrorCurvatureError),
                 })
            output.WriteLine($"  {name} {formula,-40} max |diff| {Numbers.Sci(error.MaxAbsolute)}, rel {Numbers.Sci(error.MaxRelative)}" +
                             $"  {(Gradients.GradCheck.ClosedFormVsAutograd.Accepts(error) ? "ok" : "MISMATCH")}");
        output.WriteLine($"  (pass when {Gradients.GradCheck.ClosedFormVsAutograd.Criterion}, g = d2L/dw2)");
        output.WriteLine($"note: {Landscape.SquaredErrorConvention}.");
        output.WriteLine();
        var nonConvex = landscape.SquaredErrorNonConvex;
        output.WriteLine(nonConvex.Count == 0
            ? "MSE: d2L/dw2 >= 0 on the whole range."
            : $"MSE is non-convex (d2L/dw2 < 0) for w in {string.Join(" and ", nonConvex.Select(i => $"[{Numbers.General(i.From, 3)}, {Numbers.General(i.To, 3)}]"))}.");
        var flattest = landscape.SmallestCrossEntropyCurvature;
        output.WriteLine(landscape.CrossEntropyNonConvex.Count == 0
            ? $"CE: d2L/dw2 >= 0 everywhere (smallest {Numbers.Sci(flattest.CrossEntropyCurvature)} at w = {Numbers.General(flattest.W, 4)})."
            : "CE: d2L/dw2 < 0 somewhere: this contradicts the closed form h(1-h) x^2 >= 0.");
        var ceBest = rows.MinBy(r => r.CrossEntropy)!;
        var mseBest = rows.MinBy(r => r.SquaredError)!;
        output.WriteLine($"lowest loss on the grid: CE {Numbers.General(ceBest.CrossEntropy, 4)} at w = {Numbers.General(ceBest.W, 4)}, " +
                         $"MSE {Numbers.General(mseBest.SquaredError, 4)} at w = {Numbers.General(mseBest.W, 4)}.");
        output.WriteLine();
        LandscapeShapeConsole.Print(output, [landscape.CrossEntropyShape, landscape.SquaredErrorShape]);
        PrintHessians(twoParameter, output);
        ClaimsConsole.Print(output, claims);
        output.WriteLine($"wrote {string.Join(", ", files)}");
    }

    static void PrintHessians(TwoParameterLandscape t, TextWriter output)
    {
        var rows = t.Rows;
        var side = (int)Math.Round(Math.Sqrt(rows.Count));
        output.WriteLine($"two parameters, h = sigmoid(w x + b), w from {Numbers.General(rows[0].W)} to {Numbers.General(rows[^1].W)}, " +
                         $"b from {Numbers.General(rows[0].B)} to {Numbers.General(rows[^1].B)} ({side} x {side} points): the Hessian in (w, b) is " +
                         "sum c [x^2, x; x, 1] with c = h(1-h) for CE and -(3h^2 - 2h - 2yh + y) h(1-h) for MSE");
        foreach (var s in new[] { t.CrossEntropy, t.SquaredError })
            output.WriteLine($"  {s.Loss,-3} smallest eigenvalue: lowest {Numbers.Sci(s.MinEigenvalue)} at (w, b) = ({Numbers.General(s.AtW, 4)}, {Numbers.General(s.AtB, 4)}); " +
                             (s.PositiveSemidefinite
                                 ? "positive semidefinite on the whole grid (within rounding): convex in (w, b)."
                                 : $"negative on {Numbers.Percent(s.NegativeFraction)} of the grid: not convex in (w, b)."));
        output.WriteLine($"  (an eigenvalue counts as negative below -{Numbers.Sci(TwoParameterLandscape.RoundingFraction)} (|H_ww| + |H_bb|); written to {LandscapeFiles.HessianCsv})");
        output.WriteLine();
    }
}
