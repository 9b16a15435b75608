using TorchLoss.Torch;

namespace TorchLoss.Tests.Torch;

public class TensorOpsTests
{
    static Tensor M(double[] values, params long[] shape) => Tensor.FromArray(values, shape);

    [Fact]
    public void ArithmeticBroadcastsRowsAndColumns()
    {
        using var scope = DisposeScope.Enter();
        var a = M([1, 2, 3, 4, 5, 6], 2, 3);
        var row = M([10, 20, 30], 3);
        var col = M([100, 200], 2, 1);
        TensorAssert.Close([11, 22, 33, 14, 25, 36], a + row);
        TensorAssert.Close([-99, -98, -97, -196, -195, -194], a - col);
        TensorAssert.Close([10, 40, 90, 40, 100, 180], a * row);
        TensorAssert.Close([0.1, 0.1, 0.1, 0.4, 0.25, 0.2], a / row);
        TensorAssert.Shape([2, 3], a * col);
    }

    [Fact]
    public void IncompatibleBroadcastCarriesLibtorchsMessage()
    {
        using var scope = DisposeScope.Enter();
        var e = Assert.Throws<TorchException>(() => M([1, 2, 3], 3) + M([1, 2], 2));
        Assert.Contains("must match the size", e.Message);
    }

    [Fact]
    public void ScalarOperatorsOnBothSides()
    {
        using var scope = DisposeScope.Enter();
        var a = M([1, 2, 4], 3);
        TensorAssert.Close([3, 4, 6], a + 2);
        TensorAssert.Close([3, 4, 6], 2 + a);
        TensorAssert.Close([-1, 0, 2], a - 2);
        TensorAssert.Close([1, 0, -2], 2 - a);
        TensorAssert.Close([3, 6, 12], 3 * a);
        TensorAssert.Close([0.5, 1, 2], a / 2);
        TensorAssert.Close([8, 4, 2], 8 / a);
        TensorAssert.Close([-1, -2, -4], -a);
        TensorAssert.Close([1, 4, 16], a.Pow(2));
    }

    [Fact]
    public void IntegerScalarsKeepIntegerTensorsIntegral()
    {
        using var scope = DisposeScope.Enter();
        var i = Tensor.Arange(0, 3);
        Assert.Equal(DType.Int64, i.Add(1L).DType);
        Assert.Equal(DType.Float32, (i + 0.5).DType);
    }

    [Fact]
    public void ElementwiseFunctionsMatchKnownValues()
    {
        using var scope = DisposeScope.Enter();
        var x = M([0, 1, -2], 3);
        TensorAssert.Close([1, Math.E, Math.Exp(-2)], x.Exp(), 1e-12);
        TensorAssert.Close([0.5, 1 / (1 + Math.Exp(-1)), 1 / (1 + Math.Exp(2))], x.Sigmoid(), 1e-12);
        TensorAssert.Close([0, Math.Tanh(1), Math.Tanh(-2)], x.Tanh(), 1e-12);
        TensorAssert.Close([0, 1, 0], x.Relu());
        TensorAssert.Close([0, 1, 2], x.Abs());
        TensorAssert.Close([0, 1, 4], x.Square());
        var p = M([1, 4, Math.E], 3);
        TensorAssert.Close([0, Math.Log(4), 1], p.Log(), 1e-12);
        TensorAssert.Close([1, 2, Math.Sqrt(Math.E)], p.Sqrt(), 1e-12);
        TensorAssert.Close([0, 1, -2], x.Clamp(-2.5, 1.0).Clamp(min: -2));
        TensorAssert.Close([0, 0.5, -1], x.Clamp(-1, 0.5));
    }

    [Fact]
    public void MatmulAndAddmm()
    {
        using var scope = DisposeScope.Enter();
        var a = M([1, 2, 3, 4, 5, 6], 2, 3);
        var b = M([7, 8, 9, 10, 11, 12], 3, 2);
        TensorAssert.Close([58, 64, 139, 154], a.Matmul(b));
        var bias = M([1, -1], 2);
        TensorAssert.Close([1 + 2 * 58, -1 + 2 * 64, 1 + 2 * 139, -1 + 2 * 154], Tensor.Addmm(bias, a, b, 1, 2));
        var w = M([1, 0, 0, 0, 1, 0], 2, 3);
        TensorAssert.Close([1 + 1, 2 - 1, 4 + 1, 5 - 1], Tensor.Linear(a, w, bias));
        TensorAssert.Close([1, 2, 4, 5], Tensor.Linear(a, w));
    }

    [Fact]
    public void MatmulShapeMismatchNamesTheShapes()
    {
        using var scope = DisposeScope.Enter();
        var e = Assert.Throws<TorchException>(() => Tensor.Zeros([2, 3]).Matmul(Tensor.Zeros([4, 5])));
        Assert.Contains("2x3", e.Message);
        Assert.Contains("4x5", e.Message);
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxAreStable()
    {
        using var scope = DisposeScope.Enter();
        var z = M([0.2, 5, 0.3], 1, 3);
        var denominator = Math.Exp(0.2) + Math.Exp(5) + Math.Exp(0.3);
        TensorAssert.Close([Math.Exp(0.2) / denominator, Math.Exp(5) / denominator, Math.Exp(0.3) / denominator], z.Softmax(1), 1e-12);
        var huge = M([1000, 1001, 1002], 1, 3);
        var expected = new[] { -2.40760596444438, -1.40760596444438, -0.40760596444438 };
        TensorAssert.Close(expected, huge.LogSoftmax(1), 1e-9);
        Assert.False(huge.Softmax(1).IsNan().Sum().Item() > 0);
        TensorAssert.Close(1002.40760596444438, huge.LogSumExp(1).Item(), 1e-9);
    }

    [Fact]
    public void ReductionsAlongDimensions()
    {
        using var scope = DisposeScope.Enter();
        var a = M([1, 5, 3, 4, 2, 6], 2, 3);
        Assert.Equal(21, a.Sum().Item());
        TensorAssert.Close([5, 7, 9], a.Sum(0));
        TensorAssert.Close([9, 12], a.Sum(1));
        TensorAssert.Shape([2, 1], a.Sum(1, keepDim: true));
        TensorAssert.Close([3, 4], a.Mean(1));
        Assert.Equal(3.5, a.Mean().Item());
        var (values, indices) = a.Max(1);
        TensorAssert.Close([5, 6], values);
        Assert.Equal([1L, 2L], indices.ToArray<long>());
        var (minValues, minIndices) = a.Min(0);
        TensorAssert.Close([1, 2, 3], minValues);
        Assert.Equal([0L, 1L, 0L], minIndices.ToArray<long>());
        Assert.Equal([1L, 2L], a.Argmax(1).ToArray<long>());
        Assert.Equal(5, a.Argmax().ItemInt64());
        Assert.Equal(0, a.Argmin().ItemInt64());
        Assert.Equal(6, a.Max().Item());
        Assert.Equal(1, a.Min().Item());
        TensorAssert.Close(Math.Sqrt(1 + 25 + 9 + 16 + 4 + 36), a.Norm().Item(), 1e-12);
        TensorAssert.Close([Math.Sqrt(35), Math.Sqrt(56)], a.Norm(2, [1]), 1e-12);
        TensorAssert.Close(21, a.Norm(1).Item(), 1e-12);
    }

    [Fact]
    public void ComparisonsGiveBoolTensors()
    {
        using var scope = DisposeScope.Enter();
        var a = M([1, 2, 3], 3);
        var b = M([3, 2, 1], 3);
        Assert.Equal([true, false, false], (a < b).ToArray<bool>());
        Assert.Equal([false, false, true], (a > b).ToArray<bool>());
        Assert.Equal([true, true, false], (a <= b).ToArray<bool>());
        Assert.Equal([false, true, true], (a >= 2).ToArray<bool>());
        Assert.Equal([false, true, false], a.Eq(b).ToArray<bool>());
        Assert.Equal([true, false, true], a.Ne(2).ToArray<bool>());
        TensorAssert.Close([3, 2, 3], Tensor.Where(a > b, a, M([3, 2, 3], 3)));
        Assert.True(a.AllClose(a + 1e-9));
        Assert.False(a.AllClose(b));
    }

    [Fact]
    public void ShapeOperations()
    {
        using var scope = DisposeScope.Enter();
        var a = M([0, 1, 2, 3, 4, 5], 2, 3);
        TensorAssert.Shape([3, 2], a.View(3, 2));
        TensorAssert.Shape([6], a.Reshape(-1));
        TensorAssert.Close([0, 3, 1, 4, 2, 5], a.T.Contiguous());
        TensorAssert.Close([0, 3, 1, 4, 2, 5], a.Permute(1, 0).Reshape(-1));
        TensorAssert.Close([1, 2, 4, 5], a.Narrow(1, 1, 2));
        TensorAssert.Close([0, 2, 3, 5], a.Slice(1, 0, 3, 2));
        TensorAssert.Close([3, 4, 5], a[1]);
        TensorAssert.Close([1, 4], a.Select(1, 1));
        TensorAssert.Close([3, 4, 5, 0, 1, 2], a.IndexSelect(0, Tensor.FromArray(new[] { 1L, 0L })));
        TensorAssert.Close([2, 3], a.Gather(1, Tensor.FromArray(new[] { 2L, 0L }, [2, 1])));
        TensorAssert.Shape([1, 2, 3], a.Unsqueeze(0));
        TensorAssert.Shape([2, 3], a.Unsqueeze(0).Squeeze());
        TensorAssert.Shape([4, 2, 3], a.Unsqueeze(0).Expand(4, 2, 3));
        TensorAssert.Shape([6], a.Flatten());
        TensorAssert.Shape([4, 3], Tensor.Cat([a, a], 0));
        TensorAssert.Close([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5], Tensor.Cat([a, a], 1));
        TensorAssert.Shape([2, 2, 3], Tensor.Stack([a, a]));
        var labels = Tensor.FromArray(new[] { 2L, 0L });
        Assert.Equal([0L, 0, 1, 1, 0, 0], labels.OneHot(3).Reshape(-1).ToArray<long>());
    }

    [Fact]
    public void ViewOfANonContiguousTensorFailsWhereReshapeCopies()
    {
        using var scope = DisposeScope.Enter();
        var t = Tensor.Zeros([2, 3]).T;
        Assert.Throws<TorchException>(() => t.View(6));
        TensorAssert.Shape([6], t.Reshape(6));
    }

    [Fact]
    public void InPlaceOperationsUpdateTheTensorAndReturnIt()
    {
        using var scope = DisposeScope.Enter();
        var t = M([1, 2, 3], 3);
        var other = M([1, 1, 1], 3);
        Assert.Same(t, t.Add_(other));
        TensorAssert.Close([2, 3, 4], t);
        t.Mul_(2).Sub_(1).Div_(other).Add_(other, -0.5);
        TensorAssert.Close([2.5, 4.5, 6.5], t);
        t.Addcmul_(other, M([2, 2, 2], 3), 0.25);
        TensorAssert.Close([3, 5, 7], t);
        t.Addcdiv_(M([3, 5, 7], 3), M([3, 5, 7], 3), -1);
        TensorAssert.Close([2, 4, 6], t);
        t.Pow_(2).Sqrt_().Clamp_(max: 5);
        TensorAssert.Close([2, 4, 5], t);
        t.Copy_(other);
        TensorAssert.Close([1, 1, 1], t);
        t.Fill_(9).Zero_();
        TensorAssert.Close([0, 0, 0], t);
        t.Uniform_(-0.5, 0.5);
        Assert.All(t.ToArray<double>(), v => Assert.InRange(v, -0.5, 0.5));
    }
}
