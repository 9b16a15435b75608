namespace TorchLoss.Torch.Native;

/// <summary>Op codes of tl_unary / tl_unary_ (mirrors the enum in torchloss_native.h).</summary>
internal enum UnaryOp
{
    Neg, Exp, Log, Sqrt, Abs, Sigmoid, Tanh, Relu, Square, Reciprocal,
    Log1p, Sign, Floor, Ceil, Round, IsNan, IsInf, LogicalNot, Rsqrt, IsFinite,
}

/// <summary>Op codes of tl_binary / tl_binary_scalar and their in-place forms.</summary>
internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Eq, Ne, Lt, Le, Gt, Ge, Maximum,
    Minimum, Matmul, LogicalAnd, LogicalOr, RSub, RDiv, RPow,
}
