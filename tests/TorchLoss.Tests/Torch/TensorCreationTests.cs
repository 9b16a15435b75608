using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Torch;

public class TensorCreationTests
{
    [Fact]
    public void ZerosOnesFullHaveShapeDtypeAndValues()
    {
        using var z = torch.zeros([2, 3]);
        using var o = torch.ones([4], ScalarType.Float64);
        using var f = torch.full([2, 2], 7, ScalarType.Int64);
        TensorAssert.shape([2, 3], z);
        Assert.Equal(ScalarType.Float32, z.dtype);
        Assert.Equal(Device.Cpu, z.device);
        Assert.All(z.data<float>().ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal([1.0, 1, 1, 1], o.data<double>().ToArray());
        Assert.Equal([7L, 7, 7, 7], f.data<long>().ToArray());
    }

    [Fact]
    public void ArangeFollowsTorchSemantics()
    {
        using var a = torch.arange(0, 5);
        using var b = torch.arange(1, 2, 0.25, ScalarType.Float64);
        Assert.Equal([0L, 1, 2, 3, 4], a.data<long>().ToArray());
        Assert.Equal([1.0, 1.25, 1.5, 1.75], b.data<double>().ToArray());
    }

    [Fact]
    public void FromArrayRoundTripsEveryDtype()
    {
        using var f = torch.tensor(new[] { 1.5f, -2f, 3f, 4f, 5f, 6f }, [2, 3]);
        using var d = torch.tensor(new[] { Math.PI, -1e300 });
        using var l = torch.tensor(new[] { long.MaxValue, -3L });
        using var u = torch.tensor(new byte[] { 0, 255 });
        using var b = torch.tensor(new[] { true, false, true });
        using var i = torch.tensor(new[] { int.MinValue, 9 });
        TensorAssert.shape([2, 3], f);
        Assert.Equal([1.5f, -2f, 3f, 4f, 5f, 6f], f.data<float>().ToArray());
        Assert.Equal([Math.PI, -1e300], d.data<double>().ToArray());
        Assert.Equal([long.MaxValue, -3L], l.data<long>().ToArray());
        Assert.Equal(new byte[] { 0, 255 }, u.data<byte>().ToArray());
        Assert.Equal([true, false, true], b.data<bool>().ToArray());
        Assert.Equal([int.MinValue, 9], i.data<int>().ToArray());
        Assert.Equal([ScalarType.Float32, ScalarType.Float64, ScalarType.Int64, ScalarType.Byte, ScalarType.Bool, ScalarType.Int32],
            new[] { f, d, l, u, b, i }.Select(t => t.dtype));
    }

    [Fact]
    public void FromArrayRejectsAShapeThatDoesNotMatchTheData()
    {
        var e = Assert.Throws<ArgumentException>(() => torch.tensor(new[] { 1f, 2f, 3f }, [2, 2]));
        Assert.Contains("needs 4 elements but 3", e.Message);
    }

    [Fact]
    public void ToArrayWithTheWrongElementTypeThrows()
    {
        using var t = torch.zeros([2]);
        Assert.Throws<InvalidOperationException>(() => t.data<double>().ToArray());
    }

    [Fact]
    public void ScalarTensorHasNoDimensionsAndOneItem()
    {
        using var s = torch.tensor(2.5, ScalarType.Float64);
        Assert.Equal(0, s.dim());
        Assert.Equal(2.5, s.ToDouble());
    }

    [Fact]
    public void ConversionBetweenDtypes()
    {
        using var f = torch.tensor(new[] { 1.7f, -1.7f });
        using var l = f.to_type(ScalarType.Int64);
        Assert.Equal([1L, -1L], l.data<long>().ToArray());
    }
}

[Collection(SerialCollection.Name)]
public class RandomTensorTests
{
    [Fact]
    public void SameSeedGivesSameNumbers()
    {
        TorchRuntime.ManualSeed(42);
        using var a = torch.randn([100]);
        using var ai = torch.randint(0, 10, [50]);
        TorchRuntime.ManualSeed(42);
        using var b = torch.randn([100]);
        using var bi = torch.randint(0, 10, [50]);
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
        Assert.Equal(ai.data<long>().ToArray(), bi.data<long>().ToArray());
        TorchRuntime.ManualSeed(43);
        using var c = torch.randn([100]);
        Assert.NotEqual(a.data<float>().ToArray(), c.data<float>().ToArray());
    }

    [Fact]
    public void DistributionsHaveTheirRangesAndMoments()
    {
        TorchRuntime.ManualSeed(7);
        using var u = torch.rand([20000], ScalarType.Float64);
        using var n = torch.randn([20000], ScalarType.Float64);
        using var r = torch.randint(-3, 3, [20000]);
        using var p = torch.randperm(1000);
        var uv = u.data<double>().ToArray();
        Assert.All(uv, v => Assert.InRange(v, 0.0, 1.0 - double.Epsilon));
        TensorAssert.Close(0.5, uv.Average(), 0.01);
        var nv = n.data<double>().ToArray();
        TensorAssert.Close(0, nv.Average(), 0.03);
        TensorAssert.Close(1, Math.Sqrt(nv.Select(v => v * v).Average()), 0.03);
        var rv = r.data<long>().ToArray();
        Assert.Equal(-3, rv.Min());
        Assert.Equal(2, rv.Max());
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), p.data<long>().ToArray().Order());
    }
}
