using TorchLoss.Torch.NN;

namespace TorchLoss.Models;

public enum HiddenActivation { Sigmoid, Tanh, Relu }

public static class HiddenActivations
{
    public static HiddenActivation Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "sigmoid" => HiddenActivation.Sigmoid,
        "tanh" => HiddenActivation.Tanh,
        "relu" => HiddenActivation.Relu,
        _ => throw new FormatException($"unknown hidden activation '{text}': expected sigmoid, tanh or relu"),
    };

    public static string Name(this HiddenActivation a) => a.ToString().ToLowerInvariant();

    public static Module Create(this HiddenActivation a) => a switch
    {
        HiddenActivation.Sigmoid => new Sigmoid(),
        HiddenActivation.Tanh => new Tanh(),
        HiddenActivation.Relu => new ReLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, null),
    };
}
