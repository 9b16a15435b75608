using TorchSharp;
using static TorchSharp.torch;

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

    /// <summary>The TorchSharp module for the activation.</summary>
    public static nn.Module<Tensor, Tensor> Create(this HiddenActivation a) => a switch
    {
        HiddenActivation.Sigmoid => nn.Sigmoid(),
        HiddenActivation.Tanh => nn.Tanh(),
        HiddenActivation.Relu => nn.ReLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, null),
    };

    /// <summary>The activation a module computes, or null when it is none of these.</summary>
    public static HiddenActivation? Of(nn.Module module) => module switch
    {
        TorchSharp.Modules.Sigmoid => HiddenActivation.Sigmoid,
        TorchSharp.Modules.Tanh => HiddenActivation.Tanh,
        TorchSharp.Modules.ReLU => HiddenActivation.Relu,
        _ => null,
    };
}
