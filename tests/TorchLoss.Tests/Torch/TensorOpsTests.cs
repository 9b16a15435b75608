using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Torch;

public class TensorOpsTests
{
    static Tensor M(double[] values, params long[] shape) => torch.tensor(values, shape);

    [Fact]
    public void ArithmeticBroadcastsRowsAndColumns()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([1, 2, 3, 4, 5, 6], 2, 3);
        var row = M([10, 20, 30], 3);
        var col = M([100, 200], 2, 1);
        TensorAssert.Close([11, 22, 33, 14, 25, 36], a + row);
        TensorAssert.Close([-99, -98, -97, -196, -195, -194], a - col);
        TensorAssert.Close([10, 40, 90, 40, 100, 180], a * row);
        TensorAssert.Close([0.1, 0.1, 0.1, 0.4, 0.25, 0.2], a / row);
        TensorAssert.shape([2, 3], a * col);
    }

    [Fact]
    public void IncompatibleBroadcastCarriesLibtorchsMessage()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => M([1, 2, 3], 3) + M([1, 2], 2));
        Assert.Contains("must match the size", e.Message);
    }

    [Fact]
    public void ScalarOperatorsOnBothSides()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([1, 2, 4], 3);
        TensorAssert.Close([3, 4, 6], a + 2);
        TensorAssert.Close([3, 4, 6], 2 + a);
        TensorAssert.Close([-1, 0, 2], a - 2);
        TensorAssert.Close([1, 0, -2], 2 - a);
        TensorAssert.Close([3, 6, 12], 3 * a);
        TensorAssert.Close([0.5, 1, 2], a / 2);
        TensorAssert.Close([8, 4, 2], 8 / a);
        TensorAssert.Close([-1, -2, -4], -a);
        TensorAssert.Close([1, 4, 16], a.pow(2));
    }

    [Fact]
    public void IntegerScalarsKeepIntegerTensorsIntegral()
    {
        using var scope = torch.NewDisposeScope();
        var i = torch.arange(0, 3);
        Assert.Equal(ScalarType.Int64, i.Add(1L).dtype);
        Assert.Equal(ScalarType.Float32, (i + 0.5).dtype);
    }

    [Fact]
    public void ElementwiseFunctionsMatchKnownValues()
    {
        using var scope = torch.NewDisposeScope();
        var x = M([0, 1, -2], 3);
        TensorAssert.Close([1, Math.E, Math.Exp(-2)], x.exp(), 1e-12);
        TensorAssert.Close([0.5, 1 / (1 + Math.Exp(-1)), 1 / (1 + Math.Exp(2))], x.sigmoid(), 1e-12);
        TensorAssert.Close([0, Math.Tanh(1), Math.Tanh(-2)], x.tanh(), 1e-12);
        TensorAssert.Close([0, 1, 0], x.relu());
        TensorAssert.Close([0, 1, 2], x.abs());
        TensorAssert.Close([0, 1, 4], x.square());
        var p = M([1, 4, Math.E], 3);
        TensorAssert.Close([0, Math.Log(4), 1], p.log(), 1e-12);
        TensorAssert.Close([1, 2, Math.Sqrt(Math.E)], p.sqrt(), 1e-12);
        TensorAssert.Close([0, 1, -2], x.clamp(-2.5, 1.0).clamp(min: -2));
        TensorAssert.Close([0, 0.5, -1], x.clamp(-1, 0.5));
    }

    [Fact]
    public void MatmulAndAddmm()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([1, 2, 3, 4, 5, 6], 2, 3);
        var b = M([7, 8, 9, 10, 11, 12], 3, 2);
        TensorAssert.Close([58, 64, 139, 154], a.matmul(b));
        var bias = M([1, -1], 2);
        TensorAssert.Close([1 + 2 * 58, -1 + 2 * 64, 1 + 2 * 139, -1 + 2 * 154], torch.addmm(bias, a, b, 1, 2));
        var w = M([1, 0, 0, 0, 1, 0], 2, 3);
        TensorAssert.Close([1 + 1, 2 - 1, 4 + 1, 5 - 1], nn.functional.linear(a, w, bias));
        TensorAssert.Close([1, 2, 4, 5], nn.functional.linear(a, w));
    }

    [Fact]
    public void MatmulShapeMismatchNamesTheShapes()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => torch.zeros([2, 3]).matmul(torch.zeros([4, 5])));
        Assert.Contains("2x3", e.Message);
        Assert.Contains("4x5", e.Message);
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxAreStable()
    {
        using var scope = torch.NewDisposeScope();
        var z = M([0.2, 5, 0.3], 1, 3);
        var denominator = Math.Exp(0.2) + Math.Exp(5) + Math.Exp(0.3);
        TensorAssert.Close([Math.Exp(0.2) / denominator, Math.Exp(5) / denominator, Math.Exp(0.3) / denominator], z.softmax(1), 1e-12);
        var huge = M([1000, 1001, 1002], 1, 3);
        var expected = new[] { -2.40760596444438, -1.40760596444438, -0.40760596444438 };
        TensorAssert.Close(expected, huge.log_softmax(1), 1e-9);
        Assert.False(huge.softmax(1).isnan().Sum().ToDouble() > 0);
        TensorAssert.Close(1002.40760596444438, huge.logsumexp(1).ToDouble(), 1e-9);
    }

    [Fact]
    public void ReductionsAlongDimensions()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([1, 5, 3, 4, 2, 6], 2, 3);
        Assert.Equal(21, a.Sum().ToDouble());
        TensorAssert.Close([5, 7, 9], a.sum(0));
        TensorAssert.Close([9, 12], a.sum(1));
        TensorAssert.shape([2, 1], a.sum(1, keepdim: true));
        TensorAssert.Close([3, 4], a.mean(1));
        Assert.Equal(3.5, a.mean().ToDouble());
        var (values, indices) = a.Max(1);
        TensorAssert.Close([5, 6], values);
        Assert.Equal([1L, 2L], indices.data<long>().ToArray());
        var (minValues, minIndices) = a.Min(0);
        TensorAssert.Close([1, 2, 3], minValues);
        Assert.Equal([0L, 1L, 0L], minIndices.data<long>().ToArray());
        Assert.Equal([1L, 2L], a.argmax(1).data<long>().ToArray());
        Assert.Equal(5, a.argmax().ToInt64());
        Assert.Equal(0, a.argmin().ToInt64());
        Assert.Equal(6, a.Max().ToDouble());
        Assert.Equal(1, a.Min().ToDouble());
        TensorAssert.Close(Math.Sqrt(1 + 25 + 9 + 16 + 4 + 36), a.Norm().ToDouble(), 1e-12);
        TensorAssert.Close([Math.Sqrt(35), Math.Sqrt(56)], a.Norm(2, [1]), 1e-12);
        TensorAssert.Close(21, a.Norm(1).ToDouble(), 1e-12);
    }

    [Fact]
    public void ComparisonsGiveBoolTensors()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([1, 2, 3], 3);
        var b = M([3, 2, 1], 3);
        Assert.Equal([true, false, false], (a < b).data<bool>().ToArray());
        Assert.Equal([false, false, true], (a > b).data<bool>().ToArray());
        Assert.Equal([true, true, false], (a <= b).data<bool>().ToArray());
        Assert.Equal([false, true, true], (a >= 2).data<bool>().ToArray());
        Assert.Equal([false, true, false], a.eq(b).data<bool>().ToArray());
        Assert.Equal([true, false, true], a.ne(2).data<bool>().ToArray());
        TensorAssert.Close([3, 2, 3], torch.where(a > b, a, M([3, 2, 3], 3)));
        Assert.True(a.allclose(a + 1e-9));
        Assert.False(a.allclose(b));
    }

    [Fact]
    public void ShapeOperations()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([0, 1, 2, 3, 4, 5], 2, 3);
        TensorAssert.shape([3, 2], a.View(3, 2));
        TensorAssert.shape([6], a.Reshape(-1));
        TensorAssert.Close([0, 3, 1, 4, 2, 5], a.t().contiguous());
        TensorAssert.Close([0, 3, 1, 4, 2, 5], a.Permute(1, 0).Reshape(-1));
        TensorAssert.Close([1, 2, 4, 5], a.narrow(1, 1, 2));
        TensorAssert.Close([0, 2, 3, 5], a.Slice(1, 0, 3, 2));
        TensorAssert.Close([3, 4, 5], a[1]);
        TensorAssert.Close([1, 4], a.Select(1, 1));
        TensorAssert.Close([3, 4, 5, 0, 1, 2], a.index_select(0, torch.tensor(new[] { 1L, 0L })));
        TensorAssert.Close([2, 3], a.gather(1, torch.tensor(new[] { 2L, 0L }, [2, 1])));
        TensorAssert.shape([1, 2, 3], a.unsqueeze(0));
        TensorAssert.shape([2, 3], a.unsqueeze(0).squeeze());
        TensorAssert.shape([4, 2, 3], a.unsqueeze(0).Expand(4, 2, 3));
        TensorAssert.shape([6], a.flatten());
        TensorAssert.shape([4, 3], torch.cat([a, a], 0));
        TensorAssert.Close([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5], torch.cat([a, a], 1));
        TensorAssert.shape([2, 2, 3], torch.stack([a, a]));
        var labels = torch.tensor(new[] { 2L, 0L });
        Assert.Equal([0L, 0, 1, 1, 0, 0], labels.OneHot(3).Reshape(-1).data<long>().ToArray());
    }

    [Fact]
    public void ViewOfANonContiguousTensorFailsWhereReshapeCopies()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.zeros([2, 3]).t();
        Assert.Throws<TorchException>(() => t.View(6));
        TensorAssert.shape([6], t.Reshape(6));
    }

    [Fact]
    public void InPlaceOperationsUpdateTheTensorAndReturnIt()
    {
        using var scope = torch.NewDisposeScope();
        var t = M([1, 2, 3], 3);
        var other = M([1, 1, 1], 3);
        Assert.Same(t, t.add_(other));
        TensorAssert.Close([2, 3, 4], t);
        t.mul_(2).sub_(1).div_(other).add_(other, -0.5);
        TensorAssert.Close([2.5, 4.5, 6.5], t);
        t.addcmul_(other, M([2, 2, 2], 3), 0.25);
        TensorAssert.Close([3, 5, 7], t);
        t.addcdiv_(M([3, 5, 7], 3), M([3, 5, 7], 3), -1);
        TensorAssert.Close([2, 4, 6], t);
        t.pow_(2).sqrt_().clamp_(max: 5);
        TensorAssert.Close([2, 4, 5], t);
        t.copy_(other);
        TensorAssert.Close([1, 1, 1], t);
        t.fill_(9).zero_();
        TensorAssert.Close([0, 0, 0], t);
        t.uniform_(-0.5, 0.5);
        Assert.All(t.data<double>().ToArray(), v => Assert.InRange(v, -0.5, 0.5));
    }
}
