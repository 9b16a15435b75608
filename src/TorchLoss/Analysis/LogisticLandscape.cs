using TorchLoss.Gradients;
using TorchLoss.Heads;
using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Analysis;

/// <summary>A training example of the one-weight model: input x and label y (0 or 1).</summary>
public sealed record LabelledPoint(double X, double Y);

/// <summary>Losses summed over the samples at one weight w, with their first and second derivatives in w; the second
/// derivative both by the closed form and by autograd's double backward.</summary>
public sealed record LandscapeRow(
    double W,
    double CrossEntropy, double CrossEntropySlope, double CrossEntropyCurvature, double CrossEntropyCurvatureAutograd,
    double SquaredError, double SquaredErrorSlope, double SquaredErrorCurvature, double SquaredErrorCurvatureAutograd);

/// <summary>
/// The blog posts' 1-D picture: logistic regression h = sigmoid(w x) with a single weight on a few samples, under
/// cross-entropy L = -sum [y log h + (1 - y) log(1 - h)] and squared error L = 1/2 sum (h - y)^2.
/// With h' = h (1 - h), the closed forms of d2L/dw2 are, summed over the samples,
/// CE: h (1 - h) x^2 (never negative: CE is convex in w);
/// MSE: d/dw [(h - y) h' x] = x^2 [h'^2 + (h - y) h' (1 - 2h)] = -(3h^2 - 2h - 2yh + y) h' x^2, which is negative
/// where 3h^2 - 2h - 2yh + y &gt; 0, i.e. h &lt; 1/3 for y = 1 and h &gt; 2/3 for y = 0.
/// </summary>
public sealed record Landscape(IReadOnlyList<LabelledPoint> Samples, IReadOnlyList<LandscapeRow> Rows)
{
    public const string CrossEntropyCurvatureFormula = "sum h(1-h) x^2";
    public const string SquaredErrorCurvatureFormula = "sum -(3h^2 - 2h - 2yh + y) h(1-h) x^2";

    /// <summary>Which squared-error convention the post's expression belongs to, checked by the tests against autograd.</summary>
    public const string SquaredErrorConvention =
        "the MSE expression -(3h^2 - 2h - 2yh + y) h'(x) x^2 of " + Claims.SourcePosts.WhySoftmaxRegressionDoesNotUseMse +
        " is exact for L = 1/2 (h - y)^2, as that post writes it; " +
        "for L = (h - y)^2 without the 1/2 the second derivative is twice it";

    public GradientError CrossEntropyCurvatureError => Compare(r => r.CrossEntropyCurvature, r => r.CrossEntropyCurvatureAutograd);

    public GradientError SquaredErrorCurvatureError => Compare(r => r.SquaredErrorCurvature, r => r.SquaredErrorCurvatureAutograd);

    /// <summary>Closed forms and double backward agree within <see cref="GradCheck.ClosedFormVsAutograd"/>.</summary>
    public bool CurvaturesAgree => GradCheck.ClosedFormVsAutograd.Accepts(CrossEntropyCurvatureError)
                                   && GradCheck.ClosedFormVsAutograd.Accepts(SquaredErrorCurvatureError);

    /// <summary>Intervals of w where MSE's second derivative is negative, ends found by linear interpolation.</summary>
    public IReadOnlyList<(double From, double To)> SquaredErrorNonConvex => NegativeIntervals(r => r.SquaredErrorCurvature);

    public IReadOnlyList<(double From, double To)> CrossEntropyNonConvex => NegativeIntervals(r => r.CrossEntropyCurvature);

    public LandscapeRow SmallestCrossEntropyCurvature => Rows.MinBy(r => r.CrossEntropyCurvature)!;

    public LossShape CrossEntropyShape => LossShape.Of(this, "CE", r => r.CrossEntropySlope, r => r.CrossEntropyCurvature);

    public LossShape SquaredErrorShape => LossShape.Of(this, "MSE", r => r.SquaredErrorSlope, r => r.SquaredErrorCurvature);

    /// <summary>An expression f(h, y, x) of one sample, summed over the samples at each grid weight (plain float64
    /// arithmetic, for checking a formula against autograd's columns).</summary>
    public double[] SumOverSamples(Func<double, double, double, double> f) =>
        Rows.Select(r => Samples.Sum(s => f(1 / (1 + Math.Exp(-r.W * s.X)), s.Y, s.X))).ToArray();

    public static Landscape Compute(IReadOnlyList<LabelledPoint> samples, double from, double to, int points)
    {
        if (samples.Count == 0) throw new ArgumentException("the landscape needs at least one sample");
        if (samples.Any(s => s.Y is not (0 or 1) || !double.IsFinite(s.X))) throw new ArgumentException("samples need a finite x and a label 0 or 1");
        if (!(from < to) || !double.IsFinite(from) || !double.IsFinite(to)) throw new ArgumentException($"the range {from}..{to} must be finite with from < to");
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "the landscape needs at least 2 points");

        using var scope = torch.NewDisposeScope();
        var weights = Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();
        var w = ArrayTensors.Float64(weights, [points, 1]).requires_grad_();
        var x = ArrayTensors.Float64(samples.Select(s => s.X).ToArray(), [1, samples.Count]);
        var y = ArrayTensors.Float64(samples.Select(s => s.Y).ToArray(), [1, samples.Count]).expand(points, samples.Count);
        // Row i holds every sample's logit at weight i, so a head's per-example loss is that weight's loss summed over samples.
        var logits = w * x;
        var ce = Derivatives(new SigmoidBinaryCrossEntropyHead().ExampleLoss(logits, y), w);
        var mse = Derivatives(new SigmoidSquaredErrorHead(SquaredErrorReduction.HalfSum).ExampleLoss(logits, y), w);

        var h = logits.detach().sigmoid();
        var h1 = h * (1 - h);
        var x2 = x.square();
        var ceCurvature = (h1 * x2).sum(1).data<double>().ToArray();
        var mseCurvature = (-(3 * h.square() - 2 * h - 2 * y * h + y) * h1 * x2).sum(1).data<double>().ToArray();

        var rows = weights.Select((wi, i) => new LandscapeRow(wi,
            ce.Loss[i], ce.Slope[i], ceCurvature[i], ce.Curvature[i],
            mse.Loss[i], mse.Slope[i], mseCurvature[i], mse.Curvature[i])).ToList();
        return new Landscape(samples, rows);
    }

    /// <summary>Loss values, and autograd's first and second derivatives in w (each loss depends on its own w only).</summary>
    static (double[] Loss, double[] Slope, double[] Curvature) Derivatives(Tensor loss, Tensor w)
    {
        using var scope = torch.NewDisposeScope();
        var slope = SafeAutograd.Grad(loss.sum(), w, createGraph: true);
        // The graph up to the logits is shared by both losses: keep it for the second.
        var curvature = SafeAutograd.Grad(slope.sum(), w, retainGraph: true);
        return (loss.detach().data<double>().ToArray(), slope.detach().data<double>().ToArray(), curvature.data<double>().ToArray());
    }

    GradientError Compare(Func<LandscapeRow, double> closed, Func<LandscapeRow, double> autograd)
    {
        using var scope = torch.NewDisposeScope();
        var a = ArrayTensors.Float64(Rows.Select(closed).ToArray());
        var b = ArrayTensors.Float64(Rows.Select(autograd).ToArray());
        return GradientError.Between(a, b, GradCheck.ClosedFormVsAutograd.FloorFor(Rows.Max(r => Math.Abs(autograd(r)))));
    }

    /// <summary>Intervals of w where <paramref name="value"/> is negative, ends found by linear interpolation.</summary>
    public IReadOnlyList<(double From, double To)> NegativeIntervals(Func<LandscapeRow, double> value)
    {
        var intervals = new List<(double, double)>();
        double? start = null;
        for (var i = 0; i < Rows.Count; i++)
        {
            var negative = value(Rows[i]) < 0;
            if (negative && start is null) start = i == 0 ? Rows[0].W : Crossing(i - 1, i);
            if (!negative && start is { } s)
            {
                intervals.Add((s, Crossing(i - 1, i)));
                start = null;
            }
        }
        if (start is { } open) intervals.Add((open, Rows[^1].W));
        return intervals;

        double Crossing(int a, int b)
        {
            double fa = value(Rows[a]), fb = value(Rows[b]);
            return Rows[a].W + (Rows[b].W - Rows[a].W) * fa / (fa - fb);
        }
    }
}
