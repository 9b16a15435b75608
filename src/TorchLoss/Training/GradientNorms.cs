using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Training;

public static class GradientNorms
{
    /// <summary>The L2 norms of the parameters' stored gradients as one 1-D float64 tensor on their device (0 for a
    /// parameter without a gradient), with no read back to the host.</summary>
    public static Tensor Of(IReadOnlyList<Tensor> parameters)
    {
        if (parameters.Count == 0) throw new ArgumentException("no parameters", nameof(parameters));
        using var scope = torch.NewDisposeScope();
        var norms = parameters.Select(p => p.grad is { } g ? g.norm().to_type(ScalarType.Float64) : torch.zeros([], ScalarType.Float64, p.device)).ToList();
        return torch.stack(norms).MoveToOuterDisposeScope();
    }
}
