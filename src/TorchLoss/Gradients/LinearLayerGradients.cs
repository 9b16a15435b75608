using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Gradients;

/// <summary>Backpropagation through a linear layer z = x W^T + b by hand, from delta = dL/dz [B, out] and the
/// layer's input x [B, in]: dL/dW = delta^T x, dL/db = the sum of delta over the batch, dL/dx = delta W.</summary>
public static class LinearLayerGradients
{
    public static Tensor Weight(Tensor delta, Tensor input)
    {
        using var transposed = delta.t();
        return transposed.matmul(input);
    }

    public static Tensor Bias(Tensor delta) => delta.sum(0L);

    public static Tensor Input(Tensor delta, Tensor weight) => delta.matmul(weight);
}
