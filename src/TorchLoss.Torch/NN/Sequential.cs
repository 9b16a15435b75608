namespace TorchLoss.Torch.NN;

/// <summary>Applies its layers in order; layer i's parameters are named "i.name", as in PyTorch.</summary>
public sealed class Sequential : Module
{
    readonly List<Module> layers = new();

    public Sequential(params IEnumerable<Module> layers)
    {
        foreach (var layer in layers) Add(layer);
    }

    public Sequential Add(Module layer)
    {
        RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        layers.Add(layer);
        return this;
    }

    public IReadOnlyList<Module> Layers => layers;

    /// <summary>Intermediate tensors belong to the current dispose scope, like any op's result.</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers) x = layer.Forward(x);
        return x;
    }

    public override string ToString() => $"Sequential({string.Join(", ", layers)})";
}
