// Work is split over the engine's threads in two phases, each thread calling a single-threaded BLAS on its own
// block:
//   1. examples: each thread takes a block of the batch's rows through the forward pass, the head and the
//      backward pass to the first hidden layer (rows are independent until the weight gradients);
//   2. parameters: each thread takes a block of every layer's output units, computes their weight and bias
//      gradients over the whole batch, their squared norms, and updates them (and their momentum).
// Splitting by blocks this way keeps every GEMM independent: no thread waits on another inside a phase. Block
// boundaries depend only on the thread count, and partial sums are added in block order, so results are
// deterministic for a given thread count.
#include "mlp.h"
#include <algorithm>
#include <cmath>
#include "gemm.h"
#include "thread_pool.h"

namespace tl::fused {

namespace {

// Block [begin, end) of n items for part p of parts.
std::pair<int64_t, int64_t> block(int64_t n, int64_t p, int64_t parts) { return {n * p / parts, n * (p + 1) / parts}; }

template <typename T>
class Mlp final : public Engine {
 public:
  Mlp(std::vector<int64_t> widths, int activation, HeadSpec head, int threads, tlf_blas blas)
      : widths_(std::move(widths)),
        n_layers_(int64_t(widths_.size()) - 1),
        activation_(activation),
        head_(head),
        blas_(blas),
        pool_(threads, [set = blas.set_threads_local] {
          if (set) set(1);
        }) {
    for (int64_t l = 0; l < n_layers_; ++l) {
      weight_grads_.emplace_back(size_t(out(l) * in(l)));
      bias_grads_.emplace_back(size_t(out(l)));
    }
    outputs_.resize(size_t(n_layers_));
    deltas_.resize(size_t(n_layers_));
    const size_t parts = size_t(pool_.size());
    probabilities_.assign(parts, std::vector<double>(size_t(classes())));
    example_sums_.resize(parts);
    squared_norms_.resize(parts * size_t(2 * n_layers_));
  }

  int64_t layers() const override { return n_layers_; }
  int64_t width(int64_t i) const override { return widths_[size_t(i)]; }

  void run(const Pass& pass, double* out) override {
    SingleThreadedBlas single(blas_);
    reserve(pass.batch);
    const int64_t parts = std::min<int64_t>(pool_.size(), pass.batch);
    pool_.run(int(parts), [&](int p) { examples(pass, p, parts); });

    ExampleSums total;
    for (int64_t p = 0; p < parts; ++p) total.add(example_sums_[size_t(p)]);
    out[TLF_OUT_LOSS_SUM] = total.loss;
    out[TLF_OUT_CORRECT] = total.correct;
    if (pass.evaluate_only) return;
    out[TLF_OUT_OUTPUT_GRADIENT_NORM_SUM] = total.output_gradient_norm;
    out[TLF_OUT_SATURATED] = total.saturated;
    out[TLF_OUT_TRUE_CLASS_PROBABILITY_SUM] = total.true_class_probability;
    out[TLF_OUT_WRONG_SATURATED] = total.wrong_saturated;

    pool_.run(int(parts), [&](int p) { parameters(pass, p, parts); });
    const int64_t n_params = 2 * n_layers_;
    for (int64_t i = 0; i < n_params; ++i) {
      double s = 0;
      for (int64_t p = 0; p < parts; ++p) s += squared_norms_[size_t(p * n_params + i)];
      out[TLF_OUT_FIXED + i] = std::sqrt(s);
    }
  }

 private:
  std::vector<int64_t> widths_;
  int64_t n_layers_;
  int activation_;
  HeadSpec head_;
  tlf_blas blas_;
  ThreadPool pool_;
  // Per layer: its output (activation, or the logits for the last) and dL/d(pre-activation), [batch, out].
  std::vector<std::vector<T>> outputs_, deltas_;
  std::vector<std::vector<T>> weight_grads_, bias_grads_;
  // Per part: softmax/sigmoid scratch, the examples' sums, and each parameter's squared gradient norm.
  std::vector<std::vector<double>> probabilities_;
  std::vector<ExampleSums> example_sums_;
  std::vector<double> squared_norms_;
  int64_t capacity_ = 0;

  int64_t in(int64_t l) const { return widths_[size_t(l)]; }
  int64_t out(int64_t l) const { return widths_[size_t(l + 1)]; }
  int64_t classes() const { return widths_.back(); }

  static T* param(const Pass& pass, int64_t i) { return static_cast<T*>(pass.params[i]); }

  // Work buffers grow to the largest batch seen and are kept: alternating batch sizes allocate nothing.
  void reserve(int64_t batch) {
    if (batch <= capacity_) return;
    for (int64_t l = 0; l < n_layers_; ++l) {
      outputs_[size_t(l)].resize(size_t(batch * out(l)));
      deltas_[size_t(l)].resize(size_t(batch * out(l)));
    }
    capacity_ = batch;
  }

  void examples(const Pass& pass, int64_t p, int64_t parts) {
    auto [r0, r1] = block(pass.batch, p, parts);
    const int64_t rows = r1 - r0, c = classes();
    ExampleSums sums;  // local: neighbouring parts' sums share a cache line
    const T* input = static_cast<const T*>(pass.x) + r0 * in(0);
    for (int64_t l = 0; l < n_layers_; ++l) {
      T* z = outputs_[size_t(l)].data() + r0 * out(l);
      gemm(blas_, false, true, rows, out(l), in(l), input, in(l), param(pass, 2 * l), in(l), z, out(l));
      bias_activation<T>(z, param(pass, 2 * l + 1), rows, out(l),
                         l + 1 < n_layers_ ? activation_ : TLF_ACTIVATION_IDENTITY);
      input = z;
    }
    const T* logits = outputs_.back().data() + r0 * c;
    T* dz = deltas_.back().data() + r0 * c;
    double* prob = probabilities_[size_t(p)].data();
    for (int64_t i = 0; i < rows; ++i)
      head_example<T>(head_, logits + i * c, c, pass.labels[r0 + i], 1.0 / double(pass.batch), pass.statistics,
                      dz + i * c, prob, sums);
    example_sums_[size_t(p)] = sums;
    if (pass.evaluate_only) return;
    for (int64_t l = n_layers_ - 1; l > 0; --l) {
      T* below = deltas_[size_t(l - 1)].data() + r0 * in(l);
      gemm(blas_, false, false, rows, in(l), out(l), deltas_[size_t(l)].data() + r0 * out(l), out(l),
           param(pass, 2 * l), in(l), below, in(l));
      multiply_activation_derivative<T>(below, outputs_[size_t(l - 1)].data() + r0 * in(l), rows * in(l),
                                        activation_);
    }
  }

  void parameters(const Pass& pass, int64_t p, int64_t parts) {
    double* norms = squared_norms_.data() + p * 2 * n_layers_;
    for (int64_t l = 0; l < n_layers_; ++l) {
      auto [u0, u1] = block(out(l), p, parts);
      norms[2 * l] = norms[2 * l + 1] = 0;
      if (u1 == u0) continue;
      const T* delta = deltas_[size_t(l)].data();
      const T* input = l == 0 ? static_cast<const T*>(pass.x) : outputs_[size_t(l - 1)].data();
      T* gw = (pass.gradients ? static_cast<T*>(pass.gradients[2 * l]) : weight_grads_[size_t(l)].data()) + u0 * in(l);
      T* gb = (pass.gradients ? static_cast<T*>(pass.gradients[2 * l + 1]) : bias_grads_[size_t(l)].data()) + u0;
      gemm(blas_, true, false, u1 - u0, in(l), pass.batch, delta + u0, out(l), input, in(l), gw, in(l));
      column_sums<T>(delta + u0, pass.batch, out(l), u1 - u0, gb);
      if (pass.sgd != nullptr) {
        norms[2 * l] = update(pass, 2 * l, gw, u0 * in(l), (u1 - u0) * in(l));
        norms[2 * l + 1] = update(pass, 2 * l + 1, gb, u0, u1 - u0);
      } else {
        norms[2 * l] = squared_norm<T>(gw, (u1 - u0) * in(l));
        norms[2 * l + 1] = squared_norm<T>(gb, u1 - u0);
      }
    }
  }

  // SGD with PyTorch's semantics on elements [offset, offset + n) of parameter index, whose gradient is grad[0..n).
  // Returns the gradient's squared L2 norm over those elements.
  static double update(const Pass& pass, int64_t index, const T* grad, int64_t offset, int64_t n) {
    const tlf_sgd& sgd = *pass.sgd;
    T* w = param(pass, index) + offset;
    T* buffer = pass.momentum ? static_cast<T*>(pass.momentum[index]) + offset : nullptr;
    SgdStep<T> step{T(sgd.learning_rate), T(sgd.momentum), T(1 - sgd.dampening), T(sgd.weight_decay)};
    return sgd.weight_decay != 0 ? dispatch<true>(w, grad, buffer, n, step, sgd)
                                 : dispatch<false>(w, grad, buffer, n, step, sgd);
  }

  template <bool Decay>
  static double dispatch(T* w, const T* grad, T* buffer, int64_t n, const SgdStep<T>& step, const tlf_sgd& sgd) {
    if (buffer == nullptr) return sgd_update<T, Decay, false, false, false>(w, grad, nullptr, n, step);
    if (sgd.fresh_momentum)
      return sgd.nesterov ? sgd_update<T, Decay, true, true, true>(w, grad, buffer, n, step)
                          : sgd_update<T, Decay, true, true, false>(w, grad, buffer, n, step);
    return sgd.nesterov ? sgd_update<T, Decay, true, false, true>(w, grad, buffer, n, step)
                        : sgd_update<T, Decay, true, false, false>(w, grad, buffer, n, step);
  }
};

}  // namespace

std::unique_ptr<Engine> Engine::create(int dtype, std::vector<int64_t> widths, int activation, HeadSpec head,
                                       int threads, tlf_blas blas) {
  if (dtype == TLF_FLOAT32) return std::make_unique<Mlp<float>>(std::move(widths), activation, head, threads, blas);
  return std::make_unique<Mlp<double>>(std::move(widths), activation, head, threads, blas);
}

}  // namespace tl::fused
