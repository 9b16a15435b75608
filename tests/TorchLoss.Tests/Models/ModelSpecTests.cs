using TorchLoss.Models;
using TorchSharp;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Models;

[Collection(SerialCollection.Name)]
public class ModelSpecTests
{
    [Theory]
    [InlineData("linear", ModelKind.Linear, "")]
    [InlineData("logistic", ModelKind.Logistic, "")]
    [InlineData("mlp:256,256", ModelKind.Mlp, "256,256")]
    [InlineData(" MLP:32 ", ModelKind.Mlp, "32")]
    public void ParsesTheCommandLineForms(string text, ModelKind kind, string widths)
    {
        var spec = ModelSpec.Parse(text);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(widths, string.Join(',', spec.HiddenWidths));
        Assert.Equal(spec, ModelSpec.Parse(spec.Text));
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp:")]
    [InlineData("mlp:0")]
    [InlineData("mlp:12,-3")]
    [InlineData("mlp:1e3")]
    public void RejectsBadSpecsWithAMessage(string text) =>
        Assert.IsType<FormatException>(Record.Exception(() => ModelSpec.Parse(text)));

    [Fact]
    public void BuildsTheGolikMlp()
    {
        var spec = ModelSpec.Parse("mlp:256,256");
        using var model = spec.Build(784, 10, torch.CPU);
        Assert.Equal("784-256-256-10 sigmoid MLP", spec.Describe(784, 10));
        Assert.Equal(784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10, model.parameters().Sum(p => p.numel()));
        Assert.Equal(["Linear", "Sigmoid", "Linear", "Sigmoid", "Linear"], model.children().Select(l => l.GetType().Name));
        Assert.Equal(["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias", "layer3.weight", "layer3.bias"], model.named_parameters().Select(p => p.name));
        Assert.Equal(1, ModelSpec.Parse("logistic").Outputs(2));
    }

    [Fact]
    public void InitScaleMultipliesTheWeightsOnly()
    {
        var spec = ModelSpec.Parse("mlp:16", HiddenActivation.Tanh);
        TorchRuntime.ManualSeed(5);
        using var plain = spec.Build(8, 3, torch.CPU);
        TorchRuntime.ManualSeed(5);
        using var scaled = spec.Build(8, 3, torch.CPU, initScale: 4);
        foreach (var ((name, a), (_, b)) in plain.named_parameters().Zip(scaled.named_parameters()))
        {
            var factor = name.EndsWith("weight") ? 4f : 1f;
            Assert.Equal(a.detach().data<float>().ToArray().Select(v => v * factor), b.detach().data<float>().ToArray());
        }
        Assert.IsType<TorchSharp.Modules.Tanh>(scaled.children().ElementAt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => spec.Build(8, 3, torch.CPU, initScale: 0));
    }
}
