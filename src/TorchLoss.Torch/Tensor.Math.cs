using TorchLoss.Torch.Native;

namespace TorchLoss.Torch;

public sealed partial class Tensor
{
    Tensor Unary(UnaryOp op) => NativeCall.Wrap(NativeMethods.tl_unary((int)op, Handle));

    Tensor Binary(BinaryOp op, Tensor other) => NativeCall.Wrap(NativeMethods.tl_binary((int)op, Handle, other.Handle));

    Tensor Binary(BinaryOp op, double s) => NativeCall.Wrap(NativeMethods.tl_binary_scalar((int)op, Handle, s, 0));

    Tensor Binary(BinaryOp op, long s) => NativeCall.Wrap(NativeMethods.tl_binary_scalar((int)op, Handle, s, 1));

    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    public Tensor IsInf() => Unary(UnaryOp.IsInf);
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);

    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, other);
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, other);
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Pow(double exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    public Tensor Matmul(Tensor other) => Binary(BinaryOp.Matmul, other);
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.LogicalAnd, other);
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.LogicalOr, other);

    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);
    public Tensor Eq(double s) => Binary(BinaryOp.Eq, s);
    public Tensor Ne(double s) => Binary(BinaryOp.Ne, s);
    public Tensor Eq(long s) => Binary(BinaryOp.Eq, s);

    public static Tensor operator +(Tensor a, Tensor b) => a.Binary(BinaryOp.Add, b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Binary(BinaryOp.Sub, b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Binary(BinaryOp.Mul, b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Binary(BinaryOp.Div, b);
    public static Tensor operator -(Tensor a) => a.Unary(UnaryOp.Neg);

    public static Tensor operator +(Tensor a, double s) => a.Binary(BinaryOp.Add, s);
    public static Tensor operator -(Tensor a, double s) => a.Binary(BinaryOp.Sub, s);
    public static Tensor operator *(Tensor a, double s) => a.Binary(BinaryOp.Mul, s);
    public static Tensor operator /(Tensor a, double s) => a.Binary(BinaryOp.Div, s);
    public static Tensor operator +(double s, Tensor a) => a.Binary(BinaryOp.Add, s);
    public static Tensor operator -(double s, Tensor a) => a.Binary(BinaryOp.RSub, s);
    public static Tensor operator *(double s, Tensor a) => a.Binary(BinaryOp.Mul, s);
    public static Tensor operator /(double s, Tensor a) => a.Binary(BinaryOp.RDiv, s);

    public static Tensor operator <(Tensor a, Tensor b) => a.Binary(BinaryOp.Lt, b);
    public static Tensor operator >(Tensor a, Tensor b) => a.Binary(BinaryOp.Gt, b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.Binary(BinaryOp.Le, b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.Binary(BinaryOp.Ge, b);
    public static Tensor operator <(Tensor a, double s) => a.Binary(BinaryOp.Lt, s);
    public static Tensor operator >(Tensor a, double s) => a.Binary(BinaryOp.Gt, s);
    public static Tensor operator <=(Tensor a, double s) => a.Binary(BinaryOp.Le, s);
    public static Tensor operator >=(Tensor a, double s) => a.Binary(BinaryOp.Ge, s);

    /// <summary>Integer scalars keep integer tensors integral (a double scalar promotes them to float).</summary>
    public Tensor Add(long s) => Binary(BinaryOp.Add, s);
    public Tensor Mul(long s) => Binary(BinaryOp.Mul, s);

    public Tensor Clamp(double? min = null, double? max = null) =>
        NativeCall.Wrap(NativeMethods.tl_clamp(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));

    public static Tensor Where(Tensor condition, Tensor ifTrue, Tensor ifFalse) =>
        NativeCall.Wrap(NativeMethods.tl_where(condition.Handle, ifTrue.Handle, ifFalse.Handle));

    /// <summary>beta * bias + alpha * (a @ b).</summary>
    public static Tensor Addmm(Tensor bias, Tensor a, Tensor b, double beta = 1, double alpha = 1) =>
        NativeCall.Wrap(NativeMethods.tl_addmm(bias.Handle, a.Handle, b.Handle, beta, alpha));

    /// <summary>x @ weight^T + bias, as torch.nn.functional.linear.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) => bias is null
        ? NativeCall.Wrap(NativeMethods.tl_linear_nobias(x.Handle, weight.Handle, 0))
        : NativeCall.Wrap(NativeMethods.tl_linear(x.Handle, weight.Handle, bias.Handle));

    public Tensor Softmax(long dim) => NativeCall.Wrap(NativeMethods.tl_softmax(Handle, dim));

    public Tensor LogSoftmax(long dim) => NativeCall.Wrap(NativeMethods.tl_log_softmax(Handle, dim));

    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        NativeCall.Check(NativeMethods.tl_allclose(Handle, other.Handle, rtol, atol, out var close));
        return close != 0;
    }
}
