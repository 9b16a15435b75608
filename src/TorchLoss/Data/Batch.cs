using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Data;

/// <summary>A minibatch: inputs [B, features] and labels [B], owned by the dispose scope that was current when it was made.</summary>
public readonly record struct Batch(Tensor X, Tensor Y)
{
    public long Size => Y.size(0);
}
