using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

/// <summary>In-place variants (trailing underscore, as in PyTorch); each returns this tensor.</summary>
public sealed partial class Tensor
{
    Tensor Done(int status)
    {
        NativeCall.Check(status);
        return this;
    }

    public Tensor Add_(Tensor other) => Done(NativeMethods.tl_binary_((int)BinaryOp.Add, Handle, other.Handle));
    public Tensor Sub_(Tensor other) => Done(NativeMethods.tl_binary_((int)BinaryOp.Sub, Handle, other.Handle));
    public Tensor Mul_(Tensor other) => Done(NativeMethods.tl_binary_((int)BinaryOp.Mul, Handle, other.Handle));
    public Tensor Div_(Tensor other) => Done(NativeMethods.tl_binary_((int)BinaryOp.Div, Handle, other.Handle));
    public Tensor Add_(double s) => Done(NativeMethods.tl_binary_scalar_((int)BinaryOp.Add, Handle, s));
    public Tensor Sub_(double s) => Done(NativeMethods.tl_binary_scalar_((int)BinaryOp.Sub, Handle, s));
    public Tensor Mul_(double s) => Done(NativeMethods.tl_binary_scalar_((int)BinaryOp.Mul, Handle, s));
    public Tensor Div_(double s) => Done(NativeMethods.tl_binary_scalar_((int)BinaryOp.Div, Handle, s));
    public Tensor Pow_(double s) => Done(NativeMethods.tl_binary_scalar_((int)BinaryOp.Pow, Handle, s));

    /// <summary>this += alpha * other.</summary>
    public Tensor Add_(Tensor other, double alpha) => Done(NativeMethods.tl_add_scaled_(Handle, other.Handle, alpha));

    /// <summary>this += value * a * b.</summary>
    public Tensor Addcmul_(Tensor a, Tensor b, double value = 1) => Done(NativeMethods.tl_addcmul_(Handle, a.Handle, b.Handle, value));

    /// <summary>this += value * a / b.</summary>
    public Tensor Addcdiv_(Tensor a, Tensor b, double value = 1) => Done(NativeMethods.tl_addcdiv_(Handle, a.Handle, b.Handle, value));

    public Tensor Copy_(Tensor source) => Done(NativeMethods.tl_copy_(Handle, source.Handle));
    public Tensor Zero_() => Done(NativeMethods.tl_zero_(Handle));
    public Tensor Fill_(double value) => Done(NativeMethods.tl_fill_(Handle, value));
    public Tensor Uniform_(double low, double high) => Done(NativeMethods.tl_uniform_(Handle, low, high));
    public Tensor Normal_(double mean = 0, double std = 1) => Done(NativeMethods.tl_normal_(Handle, mean, std));
    public Tensor Sqrt_() => Done(NativeMethods.tl_unary_((int)UnaryOp.Sqrt, Handle));
    public Tensor Exp_() => Done(NativeMethods.tl_unary_((int)UnaryOp.Exp, Handle));
    public Tensor Neg_() => Done(NativeMethods.tl_unary_((int)UnaryOp.Neg, Handle));
    public Tensor Sigmoid_() => Done(NativeMethods.tl_unary_((int)UnaryOp.Sigmoid, Handle));
    public Tensor Relu_() => Done(NativeMethods.tl_unary_((int)UnaryOp.Relu, Handle));

    public Tensor Clamp_(double? min = null, double? max = null) =>
        Done(NativeMethods.tl_clamp_(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));
}
