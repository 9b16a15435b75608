using TorchLoss.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Gradients;

/// <summary>The derivative of a hidden activation a = f(u), written from a where that is cheaper:
/// sigmoid a (1 - a), tanh 1 - a^2, relu 1 where u &gt; 0 else 0.</summary>
public static class HiddenActivationDerivatives
{
    public static Tensor Apply(this HiddenActivation activation, Tensor preActivation)
    {
        using var module = activation.Create();
        return module.forward(preActivation);
    }

    public static Tensor Derivative(this HiddenActivation activation, Tensor preActivation, Tensor output)
    {
        using var scope = torch.NewDisposeScope();
        var derivative = activation switch
        {
            HiddenActivation.Sigmoid => output * (1 - output),
            HiddenActivation.Tanh => 1 - output.square(),
            HiddenActivation.Relu => (preActivation > 0).to_type(preActivation.dtype),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
        };
        return derivative.MoveToOuterDisposeScope();
    }
}
