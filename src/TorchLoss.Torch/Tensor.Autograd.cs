using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

public sealed partial class Tensor
{
    public bool RequiresGrad
    {
        get { NativeCall.Check(NativeMethods.tl_requires_grad(Handle, out var r)); return r != 0; }
        set => NativeCall.Check(NativeMethods.tl_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for use in expressions.</summary>
    public Tensor RequiresGrad_(bool requires = true)
    {
        RequiresGrad = requires;
        return this;
    }

    /// <summary>The accumulated gradient, or null when none is stored. Each read returns a new handle
    /// (owned by the current scope) to the same gradient storage.</summary>
    public Tensor? Grad
    {
        get
        {
            NativeCall.Check(NativeMethods.tl_grad(Handle, out var g));
            return NativeCall.WrapOptional(g);
        }
    }

    /// <summary>Drops the stored gradient (as PyTorch's zero_grad(set_to_none=True)).</summary>
    public void ClearGrad() => NativeCall.Check(NativeMethods.tl_clear_grad(Handle, 0));

    public void SetGrad(Tensor gradient) => NativeCall.Check(NativeMethods.tl_set_grad(Handle, gradient.Handle));

    /// <summary>Keeps the gradient of a non-leaf tensor after backward (e.g. dL/dz at the output).</summary>
    public Tensor RetainGrad()
    {
        NativeCall.Check(NativeMethods.tl_retain_grad(Handle));
        return this;
    }

    /// <summary>Backpropagates from this tensor: a scalar, or any shape with <paramref name="gradient"/> of the same shape.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false)
    {
        var status = gradient is null
            ? NativeMethods.tl_backward_scalar(Handle, 0, retainGraph ? 1 : 0, createGraph ? 1 : 0)
            : NativeMethods.tl_backward(Handle, gradient.Handle, retainGraph ? 1 : 0, createGraph ? 1 : 0);
        NativeCall.Check(status);
    }

    /// <summary>A tensor sharing storage with this one but cut from the autograd graph.</summary>
    public Tensor Detach() => NativeCall.Wrap(NativeMethods.tl_detach(Handle));
}
