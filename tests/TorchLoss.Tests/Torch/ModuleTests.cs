using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Torch;

[Collection(SerialCollection.Name)]
public class ModuleTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("torchloss-module-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static Sequential Mlp() => new(new Linear(4, 8), new Sigmoid(), new Linear(8, 3));

    [Fact]
    public void LinearIsInitialisedUniformlyWithinOneOverSqrtFanIn()
    {
        TorchRuntime.ManualSeed(1);
        using var layer = new Linear(100, 200);
        var w = layer.Weight.detach().data<float>().ToArray();
        var b = layer.Bias!.detach().data<float>().ToArray();
        Assert.All(w, v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.All(b, v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.True(w.Max() > 0.099 && w.Min() < -0.099, "weights should fill the whole interval");
        TensorAssert.Close(0.1 / Math.Sqrt(3), Math.Sqrt(w.Select(v => (double)v * v).Average()), 0.002);
        Assert.True(layer.Weight.requires_grad && layer.Weight.IsLeaf);
    }

    [Fact]
    public void LinearComputesXWTransposePlusB()
    {
        using var scope = torch.NewDisposeScope();
        using var layer = new Linear(3, 2);
        var x = torch.randn([5, 3]);
        var expected = x.matmul(layer.Weight.t()) + layer.Bias!;
        Assert.True(layer.forward(x).allclose(expected));
    }

    [Fact]
    public void SequentialNamesParametersLikePyTorch()
    {
        using var model = Mlp();
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(4 * 8 + 8 + 8 * 3 + 3, model.ParameterCount());
    }

    [Fact]
    public void SavedParametersLoadIntoAFreshModel()
    {
        var path = Path.Combine(dir, "model.params");
        TorchRuntime.ManualSeed(1);
        using var a = Mlp();
        a.Save(path);
        TorchRuntime.ManualSeed(2);
        using var b = Mlp();
        b.Load(path);
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
            Assert.Equal(pa.detach().data<float>().ToArray(), pb.detach().data<float>().ToArray());
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }

    [Fact]
    public void CorruptTruncatedOrForeignFilesAreRejectedWithTheReason()
    {
        var path = Path.Combine(dir, "model.params");
        using var model = Mlp();
        model.Save(path);
        var bytes = File.ReadAllBytes(path);

        var flipped = (byte[])bytes.clone();
        flipped[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("checksum mismatch", Assert.Throws<InvalidDataException>(() => model.Load(path)).Message);

        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        Assert.Contains("checksum mismatch", Assert.Throws<InvalidDataException>(() => model.Load(path)).Message);

        File.WriteAllText(path, "not parameters at all, just some text of a decent length for the header check");
        Assert.Contains("not a TorchLoss parameter file", Assert.Throws<InvalidDataException>(() => model.Load(path)).Message);

        Assert.Contains("cannot read", Assert.Throws<InvalidDataException>(() => model.Load(Path.Combine(dir, "missing"))).Message);
    }

    [Fact]
    public void LoadingIntoAModelOfAnotherShapeNamesTheParameter()
    {
        var path = Path.Combine(dir, "model.params");
        using (var small = new Sequential(new Linear(4, 8), new Sigmoid(), new Linear(8, 3))) small.Save(path);
        using var other = new Sequential(new Linear(4, 9), new Sigmoid(), new Linear(9, 3));
        var e = Assert.Throws<InvalidDataException>(() => other.Load(path));
        Assert.Contains("'0.weight'", e.Message);
        using var deeper = new Sequential(new Linear(4, 8), new Sigmoid(), new Linear(8, 3), new Sigmoid(), new Linear(3, 3));
        Assert.Contains("missing parameter(s): 4.weight, 4.bias", Assert.Throws<InvalidDataException>(() => deeper.Load(path)).Message);
    }

    [Fact]
    public void ToConvertsParametersAndKeepsThemTrainable()
    {
        using var model = Mlp();
        model.To(Device.Cpu, ScalarType.Float64);
        Assert.All(model.parameters(), p =>
        {
            Assert.Equal(ScalarType.Float64, p.dtype);
            Assert.True(p.requires_grad && p.IsLeaf);
        });
        using var scope = torch.NewDisposeScope();
        model.forward(torch.randn([2, 4], ScalarType.Float64)).Sum().backward();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
        model.zero_grad();
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }
}
