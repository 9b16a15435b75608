// Elementwise math (out-of-place and in-place), matmul family, softmax.
#include "shim.h"

using tl::T;

namespace {

at::Tensor unary(int op, const at::Tensor& t) {
  switch (op) {
    case TL_NEG: return at::neg(t);
    case TL_EXP: return at::exp(t);
    case TL_LOG: return at::log(t);
    case TL_SQRT: return at::sqrt(t);
    case TL_ABS: return at::abs(t);
    case TL_SIGMOID: return at::sigmoid(t);
    case TL_TANH: return at::tanh(t);
    case TL_RELU: return at::relu(t);
    case TL_SQUARE: return at::square(t);
    case TL_RECIPROCAL: return at::reciprocal(t);
    case TL_LOG1P: return at::log1p(t);
    case TL_SIGN: return at::sign(t);
    case TL_FLOOR: return at::floor(t);
    case TL_CEIL: return at::ceil(t);
    case TL_ROUND: return at::round(t);
    case TL_ISNAN: return at::isnan(t);
    case TL_ISINF: return at::isinf(t);
    case TL_LOGICAL_NOT: return at::logical_not(t);
    case TL_RSQRT: return at::rsqrt(t);
    case TL_ISFINITE: return at::isfinite(t);
  }
  throw std::invalid_argument("unknown unary op " + std::to_string(op));
}

void unary_inplace(int op, at::Tensor& t) {
  switch (op) {
    case TL_NEG: t.neg_(); return;
    case TL_EXP: t.exp_(); return;
    case TL_LOG: t.log_(); return;
    case TL_SQRT: t.sqrt_(); return;
    case TL_ABS: t.abs_(); return;
    case TL_SIGMOID: t.sigmoid_(); return;
    case TL_TANH: t.tanh_(); return;
    case TL_RELU: t.relu_(); return;
    case TL_SQUARE: t.square_(); return;
    case TL_RECIPROCAL: t.reciprocal_(); return;
    case TL_RSQRT: t.rsqrt_(); return;
  }
  throw std::invalid_argument("unary op " + std::to_string(op) + " has no in-place form");
}

at::Tensor binary(int op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case TL_ADD: return at::add(a, b);
    case TL_SUB: return at::sub(a, b);
    case TL_MUL: return at::mul(a, b);
    case TL_DIV: return at::div(a, b);
    case TL_POW: return at::pow(a, b);
    case TL_EQ: return at::eq(a, b);
    case TL_NE: return at::ne(a, b);
    case TL_LT: return at::lt(a, b);
    case TL_LE: return at::le(a, b);
    case TL_GT: return at::gt(a, b);
    case TL_GE: return at::ge(a, b);
    case TL_MAXIMUM: return at::maximum(a, b);
    case TL_MINIMUM: return at::minimum(a, b);
    case TL_MATMUL: return at::matmul(a, b);
    case TL_LOGICAL_AND: return at::logical_and(a, b);
    case TL_LOGICAL_OR: return at::logical_or(a, b);
  }
  throw std::invalid_argument("unknown binary op " + std::to_string(op));
}

at::Tensor binary_scalar(int op, const at::Tensor& a, const at::Scalar& s) {
  switch (op) {
    case TL_ADD: return at::add(a, s);
    case TL_SUB: return at::sub(a, s);
    case TL_MUL: return at::mul(a, s);
    case TL_DIV: return at::div(a, s);
    case TL_POW: return at::pow(a, s);
    case TL_EQ: return at::eq(a, s);
    case TL_NE: return at::ne(a, s);
    case TL_LT: return at::lt(a, s);
    case TL_LE: return at::le(a, s);
    case TL_GT: return at::gt(a, s);
    case TL_GE: return at::ge(a, s);
    case TL_RSUB: return at::rsub(a, s);
    case TL_RDIV: return at::mul(at::reciprocal(a), s);
    case TL_RPOW: return at::pow(s, a);
  }
  throw std::invalid_argument("binary op " + std::to_string(op) + " has no scalar form");
}

}  // namespace

extern "C" {

tl_tensor tl_unary(int op, tl_tensor t) { TL_RETURN_TENSOR(unary(op, T(t))) }

tl_tensor tl_binary(int op, tl_tensor a, tl_tensor b) { TL_RETURN_TENSOR(binary(op, T(a), T(b))) }

tl_tensor tl_binary_scalar(int op, tl_tensor a, double s, int s_is_int) {
  TL_RETURN_TENSOR(binary_scalar(op, T(a), s_is_int ? at::Scalar(static_cast<int64_t>(s)) : at::Scalar(s)))
}

int tl_unary_(int op, tl_tensor t) { TL_RETURN_STATUS(unary_inplace(op, T(t))) }

int tl_binary_(int op, tl_tensor t, tl_tensor other) {
  TL_RETURN_STATUS({
    auto& x = T(t);
    const auto& y = T(other);
    switch (op) {
      case TL_ADD: x.add_(y); break;
      case TL_SUB: x.sub_(y); break;
      case TL_MUL: x.mul_(y); break;
      case TL_DIV: x.div_(y); break;
      default: throw std::invalid_argument("binary op " + std::to_string(op) + " has no in-place form");
    }
  })
}

int tl_binary_scalar_(int op, tl_tensor t, double s) {
  TL_RETURN_STATUS({
    auto& x = T(t);
    switch (op) {
      case TL_ADD: x.add_(s); break;
      case TL_SUB: x.sub_(s); break;
      case TL_MUL: x.mul_(s); break;
      case TL_DIV: x.div_(s); break;
      case TL_POW: x.pow_(s); break;
      default: throw std::invalid_argument("scalar op " + std::to_string(op) + " has no in-place form");
    }
  })
}

int tl_add_scaled_(tl_tensor t, tl_tensor other, double alpha) { TL_RETURN_STATUS(T(t).add_(T(other), alpha)) }

int tl_addcmul_(tl_tensor t, tl_tensor a, tl_tensor b, double value) {
  TL_RETURN_STATUS(T(t).addcmul_(T(a), T(b), value))
}

int tl_addcdiv_(tl_tensor t, tl_tensor a, tl_tensor b, double value) {
  TL_RETURN_STATUS(T(t).addcdiv_(T(a), T(b), value))
}

int tl_copy_(tl_tensor t, tl_tensor src) { TL_RETURN_STATUS(T(t).copy_(T(src))) }

int tl_zero_(tl_tensor t) { TL_RETURN_STATUS(T(t).zero_()) }

int tl_fill_(tl_tensor t, double value) { TL_RETURN_STATUS(T(t).fill_(value)) }

int tl_uniform_(tl_tensor t, double low, double high) { TL_RETURN_STATUS(T(t).uniform_(low, high)) }

int tl_normal_(tl_tensor t, double mean, double std) { TL_RETURN_STATUS(T(t).normal_(mean, std)) }

tl_tensor tl_clamp(tl_tensor t, double min, double max, int has_min, int has_max) {
  TL_RETURN_TENSOR(at::clamp(T(t), has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                             has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}

int tl_clamp_(tl_tensor t, double min, double max, int has_min, int has_max) {
  TL_RETURN_STATUS(T(t).clamp_(has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                               has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}

tl_tensor tl_where(tl_tensor cond, tl_tensor a, tl_tensor b) { TL_RETURN_TENSOR(at::where(T(cond), T(a), T(b))) }

tl_tensor tl_addmm(tl_tensor bias, tl_tensor a, tl_tensor b, double beta, double alpha) {
  TL_RETURN_TENSOR(at::addmm(T(bias), T(a), T(b), beta, alpha))
}

tl_tensor tl_linear(tl_tensor x, tl_tensor w, tl_tensor b) {
  TL_RETURN_TENSOR(b ? at::linear(T(x), T(w), T(b)) : at::linear(T(x), T(w)))
}

tl_tensor tl_softmax(tl_tensor t, int64_t dim) { TL_RETURN_TENSOR(at::softmax(T(t), dim)) }

tl_tensor tl_log_softmax(tl_tensor t, int64_t dim) { TL_RETURN_TENSOR(at::log_softmax(T(t), dim)) }

}  // extern "C"
