using TorchLoss.Torch;

namespace TorchLoss.Data;

/// <summary>A minibatch: inputs [B, features] and labels [B], owned by the dispose scope that was current when it was made.</summary>
public readonly record struct Batch(Tensor X, Tensor Y)
{
    public long Size => Y.Size(0);
}
