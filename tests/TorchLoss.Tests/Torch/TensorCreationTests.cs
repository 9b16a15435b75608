using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Torch;

public class TensorCreationTests
{
    [Fact]
    public void ZerosOnesFullHaveShapeDtypeAndValues()
    {
        using var z = Tensor.Zeros([2, 3]);
        using var o = Tensor.Ones([4], ScalarType.Float64);
        using var f = Tensor.Full([2, 2], 7, ScalarType.Int64);
        TensorAssert.shape([2, 3], z);
        Assert.Equal(ScalarType.Float32, z.dtype);
        Assert.Equal(Device.Cpu, z.Device);
        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Equal([1.0, 1, 1, 1], o.ToArray<double>());
        Assert.Equal([7L, 7, 7, 7], f.ToArray<long>());
    }

    [Fact]
    public void ArangeFollowsTorchSemantics()
    {
        using var a = Tensor.Arange(0, 5);
        using var b = Tensor.Arange(1, 2, 0.25, ScalarType.Float64);
        Assert.Equal([0L, 1, 2, 3, 4], a.ToArray<long>());
        Assert.Equal([1.0, 1.25, 1.5, 1.75], b.ToArray<double>());
    }

    [Fact]
    public void FromArrayRoundTripsEveryDtype()
    {
        using var f = Tensor.FromArray(new[] { 1.5f, -2f, 3f, 4f, 5f, 6f }, [2, 3]);
        using var d = Tensor.FromArray(new[] { Math.PI, -1e300 });
        using var l = Tensor.FromArray(new[] { long.MaxValue, -3L });
        using var u = Tensor.FromArray(new byte[] { 0, 255 });
        using var b = Tensor.FromArray(new[] { true, false, true });
        using var i = Tensor.FromArray(new[] { int.MinValue, 9 });
        TensorAssert.shape([2, 3], f);
        Assert.Equal([1.5f, -2f, 3f, 4f, 5f, 6f], f.ToArray<float>());
        Assert.Equal([Math.PI, -1e300], d.ToArray<double>());
        Assert.Equal([long.MaxValue, -3L], l.ToArray<long>());
        Assert.Equal(new byte[] { 0, 255 }, u.ToArray<byte>());
        Assert.Equal([true, false, true], b.ToArray<bool>());
        Assert.Equal([int.MinValue, 9], i.ToArray<int>());
        Assert.Equal([ScalarType.Float32, ScalarType.Float64, ScalarType.Int64, ScalarType.Byte, ScalarType.Bool, ScalarType.Int32],
            new[] { f, d, l, u, b, i }.Select(t => t.dtype));
    }

    [Fact]
    public void FromArrayRejectsAShapeThatDoesNotMatchTheData()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { 1f, 2f, 3f }, [2, 2]));
        Assert.Contains("needs 4 elements but 3", e.Message);
    }

    [Fact]
    public void ToArrayWithTheWrongElementTypeThrows()
    {
        using var t = Tensor.Zeros([2]);
        Assert.Throws<InvalidOperationException>(() => t.ToArray<double>());
    }

    [Fact]
    public void ScalarTensorHasNoDimensionsAndOneItem()
    {
        using var s = Tensor.Scalar(2.5, ScalarType.Float64);
        Assert.Equal(0, s.Dim);
        Assert.Equal(2.5, s.ToDouble());
    }

    [Fact]
    public void ConversionBetweenDtypes()
    {
        using var f = Tensor.FromArray(new[] { 1.7f, -1.7f });
        using var l = f.To(ScalarType.Int64);
        Assert.Equal([1L, -1L], l.ToArray<long>());
    }
}

[Collection(SerialCollection.Name)]
public class RandomTensorTests
{
    [Fact]
    public void SameSeedGivesSameNumbers()
    {
        TorchRuntime.ManualSeed(42);
        using var a = Tensor.Randn([100]);
        using var ai = Tensor.Randint(0, 10, [50]);
        TorchRuntime.ManualSeed(42);
        using var b = Tensor.Randn([100]);
        using var bi = Tensor.Randint(0, 10, [50]);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.Equal(ai.ToArray<long>(), bi.ToArray<long>());
        TorchRuntime.ManualSeed(43);
        using var c = Tensor.Randn([100]);
        Assert.NotEqual(a.ToArray<float>(), c.ToArray<float>());
    }

    [Fact]
    public void DistributionsHaveTheirRangesAndMoments()
    {
        TorchRuntime.ManualSeed(7);
        using var u = Tensor.Rand([20000], ScalarType.Float64);
        using var n = Tensor.Randn([20000], ScalarType.Float64);
        using var r = Tensor.Randint(-3, 3, [20000]);
        using var p = Tensor.Randperm(1000);
        var uv = u.ToArray<double>();
        Assert.All(uv, v => Assert.InRange(v, 0.0, 1.0 - double.Epsilon));
        TensorAssert.Close(0.5, uv.Average(), 0.01);
        var nv = n.ToArray<double>();
        TensorAssert.Close(0, nv.Average(), 0.03);
        TensorAssert.Close(1, Math.Sqrt(nv.Select(v => v * v).Average()), 0.03);
        var rv = r.ToArray<long>();
        Assert.Equal(-3, rv.Min());
        Assert.Equal(2, rv.Max());
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), p.ToArray<long>().Order());
    }
}
