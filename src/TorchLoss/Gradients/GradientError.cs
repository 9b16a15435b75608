using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Gradients;

/// <summary>
/// How far a gradient a is from a reference b, over all elements: the largest |a - b|, and the largest relative
/// error |a - b| / max(|a|, |b|, floor). The floor stops elements that should be zero, or that rounding cannot
/// resolve, from counting as huge relative errors: below it an element is judged by |a - b| / floor.
/// </summary>
public sealed record GradientError(double MaxAbsolute, double MaxRelative)
{
    public static GradientError Between(Tensor a, Tensor b, double floor)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var a64 = a.to_type(ScalarType.Float64);
        var b64 = b.to_type(ScalarType.Float64);
        var difference = (a64 - b64).abs();
        var scale = a64.abs().maximum(b64.abs()).clamp(min: floor);
        return new GradientError(difference.max().ToDouble(), (difference / scale).max().ToDouble());
    }

    /// <summary>The worse of two errors, element by element of the record.</summary>
    public GradientError Worst(GradientError other) =>
        new(Math.Max(MaxAbsolute, other.MaxAbsolute), Math.Max(MaxRelative, other.MaxRelative));

    public static readonly GradientError None = new(0, 0);
}

/// <summary>
/// Passes when every element has |a - b| &lt;= Relative * max(|a|, |b|, floor), i.e. the combined criterion
/// |a - b| &lt;= Relative * max(|a|, |b|) or |a - b| &lt;= Relative * floor, with floor = Floor * max(1, |scale|):
/// rounding errors grow with the size of what is computed (<see cref="ScaledBy"/> names it).
/// </summary>
public sealed record Tolerance(double Relative, double Floor, string ScaledBy)
{
    public double FloorFor(double scale) => Floor * Math.Max(1, Math.Abs(scale));

    public bool Accepts(GradientError error) => error.MaxRelative <= Relative && double.IsFinite(error.MaxAbsolute);

    public string Criterion =>
        $"|a - b| <= {Short(Relative)} * max(|a|, |b|) or |a - b| <= {Short(Relative * Floor)} * max(1, {ScaledBy})";

    static string Short(double value) => value.ToString("0.#e+00", System.Globalization.CultureInfo.InvariantCulture);
}
