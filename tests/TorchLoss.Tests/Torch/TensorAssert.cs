using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Torch;

internal static class TensorAssert
{
    public static void Close(double[] expected, Tensor actual, double tolerance = 1e-6)
    {
        using var asDouble = actual.to_type(ScalarType.Float64);
        var values = asDouble.data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance,
                $"element {i}: expected {expected[i]}, got {values[i]} (tolerance {tolerance})");
    }

    public static void Close(double expected, double actual, double tolerance = 1e-6) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual} (tolerance {tolerance})");

    public static void Shape(long[] expected, Tensor actual) => Assert.Equal(expected, actual.shape);
}
