// Elementwise math of the fused MLP step: activations with their derivatives, and each head's loss,
// dL/dz and step statistics for one example. Plain loops the compiler vectorises (the file is built with
// -fno-trapping-math, without which the clamps below keep GCC from vectorising the activation loops).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include "torchloss_fused.h"

// The hot loops are compiled twice, for x86-64 with AVX2 and FMA and for the baseline, and the loader picks the
// one this CPU runs (GCC function multi-versioning; elsewhere the baseline only).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define TL_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define TL_VECTOR_CLONES
#endif

namespace tl::fused {

// exp for float without a libm call per element, so loops over it vectorise. Range reduction to
// x = n ln2 + r with |r| <= ln2/2 and a degree-6 polynomial: relative error under 2e-7 (about 1.5 ulp).
inline float fast_exp(float x) {
  x = x < -87.0f ? -87.0f : x;
  x = x > 88.0f ? 88.0f : x;
  const float shifter = 12582912.0f;  // 1.5 * 2^23: adding and subtracting it rounds to the nearest integer
  float n = (x * 1.44269504088896341f + shifter) - shifter;
  int32_t k = static_cast<int32_t>(n);
  float r = x - n * 0.693359375f - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  int32_t scale_bits = (k + 127) << 23;
  float scale;
  std::memcpy(&scale, &scale_bits, sizeof scale);
  return p * scale;
}

inline double fast_exp(double x) { return std::exp(x); }

template <typename T> inline T sigmoid(T z) { return T(1) / (T(1) + fast_exp(-z)); }

// tanh(z) = sign(z) (1 - e) / (1 + e) with e = exp(-2|z|): keeps its relative precision near 0, where
// 2 sigmoid(2z) - 1 would cancel.
template <typename T> inline T tanh_of(T z) {
  T a = z < T(0) ? -z : z;
  T e = fast_exp(T(-2) * a);
  T t = (T(1) - e) / (T(1) + e);
  return z < T(0) ? -t : t;
}

// z holds pre-activations on entry and activations on exit; bias is added first.
template <typename T>
TL_VECTOR_CLONES
void bias_activation(T* z, const T* bias, int64_t rows, int64_t cols, int activation) {
  for (int64_t i = 0; i < rows; ++i) {
    T* row = z + i * cols;
    switch (activation) {
      case TLF_ACTIVATION_SIGMOID:
        for (int64_t j = 0; j < cols; ++j) row[j] = sigmoid(row[j] + bias[j]);
        break;
      case TLF_ACTIVATION_TANH:
        for (int64_t j = 0; j < cols; ++j) row[j] = tanh_of(row[j] + bias[j]);
        break;
      case TLF_ACTIVATION_RELU:
        // NaN passes through, as in libtorch, so that a diverged unit shows in the loss.
        for (int64_t j = 0; j < cols; ++j) { T v = row[j] + bias[j]; row[j] = (v > T(0) || v != v) ? v : T(0); }
        break;
      default:
        for (int64_t j = 0; j < cols; ++j) row[j] += bias[j];
    }
  }
}

// delta *= f'(z) written through the activation a = f(z).
template <typename T>
TL_VECTOR_CLONES
void multiply_activation_derivative(T* delta, const T* a, int64_t n, int activation) {
  switch (activation) {
    case TLF_ACTIVATION_SIGMOID:
      for (int64_t i = 0; i < n; ++i) delta[i] *= a[i] * (T(1) - a[i]);
      break;
    case TLF_ACTIVATION_TANH:
      for (int64_t i = 0; i < n; ++i) delta[i] *= T(1) - a[i] * a[i];
      break;
    case TLF_ACTIVATION_RELU:
      for (int64_t i = 0; i < n; ++i) delta[i] = a[i] <= T(0) ? T(0) : delta[i];  // as libtorch: NaN passes
      break;
    default:
      break;
  }
}

// Sum of g^2 over the values g = element(i) for i in [0, n), calling element once per i in order of i (it may update
// memory at i, as sgd_update does). Each block of kBlock values is summed in T over eight vectors of lanes (enough
// multiply-adds in flight to hide their latency), folded to one vector and added in double. A float's square then needs
// no conversion per element, which bounded the loop when every term was added in double: on the 269,322 float
// gradients of the 784-256-256-10 MLP, in cache, the norms took 47 us and now take 20 (55 GB/s, the cache's own speed
// here), and the SGD update with momentum runs 12-25 % faster. A float lane sums 64 terms before it is added in double,
// a relative error of at most 64 float roundings. Inlined into each caller, so it is compiled for the caller's target.
template <typename T, typename Element>
__attribute__((always_inline)) inline double sum_of_squares(int64_t n, Element&& element) {
  constexpr int kVector = 32 / int(sizeof(T));
  constexpr int kLanes = 8 * kVector;
  constexpr int kBlock = 8 * kLanes;
  double lane_total[kVector] = {};
  int64_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    T partial[kLanes] = {};
    for (int k = 0; k < kBlock; k += kLanes)
      for (int j = 0; j < kLanes; ++j) {
        const T g = element(i + k + j);
        partial[j] += g * g;
      }
    for (int v = 1; v < 8; ++v)
      for (int j = 0; j < kVector; ++j) partial[j] += partial[v * kVector + j];
    for (int j = 0; j < kVector; ++j) lane_total[j] += double(partial[j]);
  }
  double total = 0;
  for (; i < n; ++i) {
    const double g = element(i);
    total += g * g;
  }
  for (double t : lane_total) total += t;
  return total;
}

template <typename T> struct SgdStep { T learning_rate, momentum, keep /* 1 - dampening */, weight_decay; };

// w -= lr * d with d = g (+ decay w when Decay) through momentum (PyTorch's SGD), over n elements; returns sum g^2.
template <typename T, bool Decay, bool Momentum, bool Fresh, bool Nesterov>
TL_VECTOR_CLONES
double sgd_update(T* __restrict w, const T* __restrict grad, T* __restrict buffer, int64_t n, const SgdStep<T>& s) {
  const T lr = s.learning_rate, mu = s.momentum, keep = s.keep, decay = s.weight_decay;
  return sum_of_squares<T>(n, [&](int64_t i) {
    T g = grad[i];
    T d = Decay ? g + decay * w[i] : g;
    if constexpr (Momentum) {
      T b = Fresh ? d : mu * buffer[i] + keep * d;
      buffer[i] = b;
      d = Nesterov ? d + mu * b : b;
    }
    w[i] -= lr * d;
    return g;
  });
}

// Sum of squares over n elements.
template <typename T>
TL_VECTOR_CLONES
double squared_norm(const T* __restrict g, int64_t n) {
  return sum_of_squares<T>(n, [&](int64_t i) { return g[i]; });
}

// sums[u] = sum over rows of delta[row * stride + u], for u in [0, n).
template <typename T>
TL_VECTOR_CLONES
void column_sums(const T* delta, int64_t rows, int64_t stride, int64_t n, T* sums) {
  for (int64_t u = 0; u < n; ++u) sums[u] = 0;
  for (int64_t i = 0; i < rows; ++i) {
    const T* row = delta + i * stride;
    for (int64_t u = 0; u < n; ++u) sums[u] += row[u];
  }
}

// kind, squared_error_scale (1/2 or 1/C), true_class_weight (k) and true_class_target (M) of the logit square loss.
using HeadSpec = tlf_head;

// Sums over a block of examples, in the order of tlf_step's statistics (TLF_OUT_*).
struct ExampleSums {
  double loss = 0, correct = 0, output_gradient_norm = 0, saturated = 0, true_class_probability = 0, wrong_saturated = 0;
  void add(const ExampleSums& o) {
    loss += o.loss; correct += o.correct; output_gradient_norm += o.output_gradient_norm;
    saturated += o.saturated; true_class_probability += o.true_class_probability; wrong_saturated += o.wrong_saturated;
  }
};

constexpr double kSaturationMargin = 0.01;

// The head's probabilities of one example with logits z[0..c) into prob[0..c): softmax for the softmax heads and for
// the logit square loss with several outputs, z/M clamped to [0, 1] for it with one output, else a sigmoid per output.
// Returns log sum exp z for the softmax case (0 otherwise).
template <typename T>
double head_probabilities(const HeadSpec& h, const T* z, int64_t c, double* prob) {
  const bool softmax_probabilities =
      h.kind == TLF_HEAD_SOFTMAX_CE || h.kind == TLF_HEAD_SOFTMAX_MSE || (h.kind == TLF_HEAD_LOGIT_MSE && c > 1);
  if (softmax_probabilities) {
    double m = z[0];
    for (int64_t j = 1; j < c; ++j) m = z[j] > m ? double(z[j]) : m;
    double s = 0;
    for (int64_t j = 0; j < c; ++j) s += (prob[j] = std::exp(double(z[j]) - m));
    for (int64_t j = 0; j < c; ++j) prob[j] /= s;
    return m + std::log(s);
  }
  if (h.kind == TLF_HEAD_LOGIT_MSE) {
    double p = double(z[0]) / h.true_class_target;
    prob[0] = p < 0 ? 0 : (p > 1 ? 1 : p);
  } else {
    for (int64_t j = 0; j < c; ++j) prob[j] = 1.0 / (1.0 + std::exp(-double(z[j])));
  }
  return 0;
}

// The head's predicted class: the first largest logit, or with one output whether z exceeds the boundary (0, or M/2
// for the logit square loss, whose targets are 0 and M).
template <typename T>
int64_t head_prediction(const HeadSpec& h, const T* z, int64_t c) {
  if (c == 1) {
    // Compared in T, as libtorch compares a tensor with a scalar.
    T boundary = h.kind == TLF_HEAD_LOGIT_MSE ? T(h.true_class_target / 2) : T(0);
    return z[0] > boundary ? 1 : 0;
  }
  int64_t predicted = 0;
  for (int64_t j = 1; j < c; ++j) if (z[j] > z[predicted]) predicted = j;
  return predicted;
}

// Adds one example's saturation counts and true-class probability (prob[0..c), as from head_probabilities) to sums.
inline void probability_statistics(const double* prob, int64_t c, int64_t label, ExampleSums& sums) {
  for (int64_t j = 0; j < c; ++j) {
    const bool low = prob[j] < kSaturationMargin, high = prob[j] > 1 - kSaturationMargin;
    // A single output is class 1's probability: its target is the label itself.
    const bool target = c == 1 ? label == 1 : j == label;
    sums.saturated += (low || high) ? 1 : 0;
    sums.wrong_saturated += ((target && low) || (!target && high)) ? 1 : 0;
  }
  sums.true_class_probability += c == 1 ? (label == 1 ? prob[0] : 1 - prob[0]) : prob[label];
}

// For one example with logits z[0..c) and integer label: adds its loss and statistics to sums and writes
// dL/dz of the batch-mean loss (the example's own gradient times inv_batch) into dz. With c == 1 the task
// is binary and the target is the label itself. prob is scratch of length c.
template <typename T>
void head_example(const HeadSpec& h, const T* z, int64_t c, int64_t label, double inv_batch, bool statistics,
                  T* dz, double* prob, ExampleSums& sums) {
  auto target = [&](int64_t j) { return c == 1 ? double(label) : (j == label ? 1.0 : 0.0); };
  const double log_normaliser = head_probabilities(h, z, c, prob);
  double loss = 0, norm2 = 0;
  auto emit = [&](int64_t j, double g) {
    norm2 += g * g;
    dz[j] = T(g * inv_batch);
  };
  switch (h.kind) {
    case TLF_HEAD_SOFTMAX_CE:
      loss = log_normaliser - double(z[label]);
      for (int64_t j = 0; j < c; ++j) emit(j, prob[j] - target(j));
      break;
    case TLF_HEAD_SOFTMAX_MSE: {
      double projected = 0;
      for (int64_t j = 0; j < c; ++j) {
        double e = prob[j] - target(j);
        loss += e * e;
        projected += e * prob[j];
      }
      loss *= h.squared_error_scale;
      for (int64_t j = 0; j < c; ++j)
        emit(j, 2 * h.squared_error_scale * prob[j] * ((prob[j] - target(j)) - projected));
      break;
    }
    case TLF_HEAD_SIGMOID_MSE:
      for (int64_t j = 0; j < c; ++j) {
        double s = prob[j], e = s - target(j);
        loss += e * e;
        emit(j, 2 * h.squared_error_scale * e * s * (1 - s));
      }
      loss *= h.squared_error_scale;
      break;
    case TLF_HEAD_SIGMOID_BCE:
      for (int64_t j = 0; j < c; ++j) {
        double v = z[j], y = target(j);
        loss += (v > 0 ? v : 0) + std::log1p(std::exp(-std::fabs(v))) - y * v;
        emit(j, prob[j] - y);
      }
      break;
    case TLF_HEAD_LOGIT_MSE:
      for (int64_t j = 0; j < c; ++j) {
        double y = target(j), w = 1 + (h.true_class_weight - 1) * y, e = double(z[j]) - y * h.true_class_target;
        loss += w * e * e;
        emit(j, 2 * h.squared_error_scale * w * e);
      }
      loss *= h.squared_error_scale;
      break;
  }
  sums.loss += loss;

  sums.correct += head_prediction(h, z, c) == label ? 1 : 0;
  if (!statistics) return;
  sums.output_gradient_norm += std::sqrt(norm2);
  probability_statistics(prob, c, label, sums);
}

}  // namespace tl::fused
