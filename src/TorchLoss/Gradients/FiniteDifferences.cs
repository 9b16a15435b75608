using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Gradients;

/// <summary>Central finite differences in float64, one element at a time.</summary>
public static class FiniteDifferences
{
    /// <summary>The step for an element of value v is h = RelativeStep * max(1, |v|).</summary>
    public const double RelativeStep = 1e-6;

    /// <summary>
    /// d f / d variables[index], each element estimated as (f(v + h) - f(v - h)) / ((v + h) - (v - h)): the
    /// denominator is the difference of the two points as stored, not 2h, which removes one rounding error.
    /// <paramref name="f"/> is called with the other variables unchanged and must not keep the tensors it gets.
    /// </summary>
    public static Tensor Gradient(Func<IReadOnlyList<Tensor>, double> f, IReadOnlyList<Tensor> variables, int index)
    {
        var original = variables[index];
        if (original.dtype != ScalarType.Float64) throw new ArgumentException("finite differences need float64 variables", nameof(variables));
        var shape = original.shape;
        var values = original.data<double>().ToArray();
        var gradient = new double[values.Length];
        var arguments = variables.ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            var centre = values[i];
            var step = RelativeStep * Math.Max(1, Math.Abs(centre));
            double up = centre + step, down = centre - step;
            gradient[i] = (At(up) - At(down)) / (up - down);
            values[i] = centre;

            double At(double value)
            {
                values[i] = value;
                using var scope = torch.NewDisposeScope();
                arguments[index] = ArrayTensors.Float64(values, shape);
                return f(arguments);
            }
        }
        return ArrayTensors.Float64(gradient, shape);
    }
}
