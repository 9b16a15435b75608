using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

public static class Autograd
{
    public static bool IsGradEnabled => NativeMethods.tl_is_grad_enabled() != 0;

    /// <summary>Disables gradient recording on this thread until the returned scope is disposed.</summary>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Enables gradient recording on this thread until the returned scope is disposed.</summary>
    public static GradModeScope EnableGrad() => new(enabled: true);

    /// <summary>
    /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, as torch.autograd.grad.
    /// With <paramref name="createGraph"/> the results are differentiable again (second derivatives).
    /// An input that the outputs do not depend on gives null when <paramref name="allowUnused"/>, else an error.
    /// </summary>
    public static unsafe Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Tensor?>? gradOutputs = null, bool retainGraph = false, bool createGraph = false, bool allowUnused = false)
    {
        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
            throw new ArgumentException("gradOutputs must have one entry per output", nameof(gradOutputs));
        var pinned = new List<TensorHandle>();
        var outs = new nint[outputs.Count];
        var grads = new nint[outputs.Count];
        var ins = new nint[inputs.Count];
        var results = new nint[inputs.Count];
        try
        {
            for (var i = 0; i < outputs.Count; i++)
            {
                outs[i] = Pin(outputs[i], pinned);
                grads[i] = gradOutputs?[i] is { } g ? Pin(g, pinned) : 0;
            }
            for (var j = 0; j < inputs.Count; j++) ins[j] = Pin(inputs[j], pinned);
            fixed (nint* po = outs, pg = grads, pi = ins, pr = results)
                NativeCall.Check(NativeMethods.tl_autograd_grad(po, pg, outs.Length, pi, ins.Length,
                    retainGraph || createGraph ? 1 : 0, createGraph ? 1 : 0, allowUnused ? 1 : 0, pr));
        }
        finally
        {
            foreach (var h in pinned) h.DangerousRelease();
        }
        return results.Select(NativeCall.WrapOptional).ToArray();
    }

    /// <summary>The L2 norms of the parameters' stored gradients as one 1-D tensor (0 for a parameter without a
    /// gradient), computed in one call.</summary>
    public static unsafe Tensor GradNorms(IReadOnlyList<Tensor> parameters)
    {
        if (parameters.Count == 0) throw new ArgumentException("no parameters", nameof(parameters));
        using var pinned = new PinnedHandles(parameters);
        fixed (nint* p = pinned.Pointers) return NativeCall.Wrap(NativeMethods.tl_grad_norms(p, parameters.Count));
    }

    public static Tensor Grad(Tensor output, Tensor input, bool retainGraph = false, bool createGraph = false) =>
        Grad([output], [input], retainGraph: retainGraph, createGraph: createGraph)[0]!;

    static nint Pin(Tensor t, List<TensorHandle> pinned)
    {
        var h = t.Handle;
        var ok = false;
        h.DangerousAddRef(ref ok);
        pinned.Add(h);
        return h.DangerousGetHandle();
    }
}

/// <summary>Restores the previous grad mode of this thread when disposed.</summary>
public sealed class GradModeScope : IDisposable
{
    readonly bool previous;
    bool disposed;

    internal GradModeScope(bool enabled)
    {
        previous = Autograd.IsGradEnabled;
        NativeMethods.tl_set_grad_enabled(enabled ? 1 : 0);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        NativeMethods.tl_set_grad_enabled(previous ? 1 : 0);
    }
}
