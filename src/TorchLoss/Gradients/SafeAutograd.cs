using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Gradients;

/// <summary>
/// torch.autograd.grad with its inputs checked first. A libtorch error inside TorchSharp's autograd.grad (an output
/// without a graph, an input the outputs do not depend on) aborts the whole process instead of throwing, so every case
/// it would reject is turned into an <see cref="InvalidOperationException"/> here before the call. TorchSharp's
/// retain_graph does not default to create_graph as PyTorch's does: this passes retain_graph whenever create_graph is set.
/// </summary>
public static class SafeAutograd
{
    /// <summary>d(sum of outputs)/d(inputs); an input the outputs do not depend on gets zeros.</summary>
    public static Tensor[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, bool createGraph = false, bool retainGraph = false)
    {
        if (outputs.Count == 0 || inputs.Count == 0) throw new ArgumentException("autograd needs at least one output and one input");
        foreach (var o in outputs)
        {
            if (o.IsInvalid) throw new ObjectDisposedException("an output tensor was disposed");
            if (!o.requires_grad) throw new InvalidOperationException("an output does not depend on any tensor that requires a gradient");
            if (o.numel() != 1) throw new InvalidOperationException($"outputs must be scalars, got shape [{string.Join(", ", o.shape)}]");
        }
        foreach (var i in inputs)
        {
            if (i.IsInvalid) throw new ObjectDisposedException("an input tensor was disposed");
            if (!i.requires_grad) throw new InvalidOperationException("an input does not require a gradient");
        }
        var grads = torch.autograd.grad(outputs.ToList(), inputs.ToList(), retain_graph: retainGraph || createGraph,
            create_graph: createGraph, allow_unused: true);
        var result = new Tensor[inputs.Count];
        for (var k = 0; k < inputs.Count; k++)
            result[k] = grads[k] is { IsInvalid: false } g ? g : torch.zeros_like(inputs[k]);
        return result;
    }

    /// <summary>d(output)/d(input) for one scalar output and one input.</summary>
    public static Tensor Grad(Tensor output, Tensor input, bool createGraph = false, bool retainGraph = false) =>
        Grad([output], [input], createGraph, retainGraph)[0];
}
