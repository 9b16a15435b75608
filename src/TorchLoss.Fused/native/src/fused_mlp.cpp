// The fused MLP training step on CPU: forward pass, the head's hand-derived dL/dz, backpropagation, step
// statistics and the SGD update in one call, without autograd. Work is split over libtorch's intra-op
// threads in two phases, each thread calling a single-threaded BLAS on its own block:
//   1. examples: each thread takes a block of the batch's rows through the forward pass, the head and the
//      backward pass to the first hidden layer (rows are independent until the weight gradients);
//   2. parameters: each thread takes a block of every layer's output units, computes their weight and bias
//      gradients over the whole batch, their squared norms, and updates them (and their momentum).
// Splitting by blocks this way keeps every GEMM independent: no thread waits on another inside a phase.
#include "shim.h"
#include "fused_math.h"
#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <algorithm>
#include <memory>

namespace {

using tl::fused::ExampleSums;
using tl::fused::HeadSpec;

// Fortran BLAS, found in the process (libtorch links one); null when the BLAS keeps its symbols private.
using sgemm_fn = void (*)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                          const int*, const float*, const int*, const float*, float*, const int*);
using dgemm_fn = void (*)(const char*, const char*, const int*, const int*, const int*, const double*, const double*,
                          const int*, const double*, const int*, const double*, double*, const int*);

sgemm_fn blas_sgemm() {
  static const sgemm_fn f = reinterpret_cast<sgemm_fn>(dlsym(RTLD_DEFAULT, "sgemm_"));
  return f;
}
dgemm_fn blas_dgemm() {
  static const dgemm_fn f = reinterpret_cast<dgemm_fn>(dlsym(RTLD_DEFAULT, "dgemm_"));
  return f;
}

// Row-major C[m,n] = op(A) op(B), op = transpose when the flag is set.
// Column-major BLAS computes C^T = op(B)^T op(A)^T, so the operands swap places.
template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
          int64_t ldb, T* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  const char ta = trans_a ? 'T' : 'N', tb = trans_b ? 'T' : 'N';
  const int M = int(m), N = int(n), K = int(k), LDA = int(lda), LDB = int(ldb), LDC = int(ldc);
  const T one = 1, zero = 0;
  if constexpr (std::is_same_v<T, float>) {
    if (auto f = blas_sgemm()) return f(&tb, &ta, &N, &M, &K, &one, b, &LDB, a, &LDA, &zero, c, &LDC);
  } else {
    if (auto f = blas_dgemm()) return f(&tb, &ta, &N, &M, &K, &one, b, &LDB, a, &LDA, &zero, c, &LDC);
  }
  // No BLAS symbols: the same product through libtorch on views of the buffers.
  auto options = at::TensorOptions().dtype(c10::CppTypeToScalarType<T>::value);
  auto view = [&](const T* p, int64_t rows, int64_t cols, int64_t ld, bool trans) {
    auto t = at::from_blob(const_cast<T*>(p), {trans ? cols : rows, trans ? rows : cols}, {ld, 1}, options);
    return trans ? t.t() : t;
  };
  auto out = at::from_blob(c, {m, n}, {ldc, 1}, options);
  at::mm_out(out, view(a, m, k, lda, trans_a), view(b, k, n, ldb, trans_b));
}

// Block [begin, end) of n items for part p of parts.
std::pair<int64_t, int64_t> block(int64_t n, int64_t p, int64_t parts) {
  return {n * p / parts, n * (p + 1) / parts};
}

struct Layer {
  at::Tensor weight, bias;  // [out, in], [out]
  int64_t in, out;
};

struct SgdSettings {
  double learning_rate, momentum, dampening, weight_decay;
  bool nesterov, fresh_momentum;
};

class FusedMlp {
 public:
  FusedMlp(std::vector<Layer> layers, int activation, HeadSpec head)
      : layers_(std::move(layers)), activation_(activation), head_(head) {}

  const std::vector<Layer>& layers() const { return layers_; }

  // Takes the current parameter tensors (a checkpoint load may have replaced them) after checking their layout.
  void bind(std::vector<Layer> layers) {
    TORCH_CHECK(layers.size() == layers_.size(), "the fused step was built for ", layers_.size(), " layers, got ", layers.size());
    for (size_t i = 0; i < layers.size(); ++i)
      TORCH_CHECK(layers[i].in == layers_[i].in && layers[i].out == layers_[i].out &&
                      layers[i].weight.scalar_type() == layers_[i].weight.scalar_type(),
                  "layer ", i, " no longer matches the fused step's layout");
    layers_ = std::move(layers);
  }

  // With sgd null the parameters stay as they are (gradients() then holds the gradients); with evaluate_only the
  // pass stops after the head (loss and correct predictions only), as for scoring a split.
  void step(const at::Tensor& x, const at::Tensor& labels, const std::vector<at::Tensor>& momentum,
            const SgdSettings* sgd, bool statistics, bool evaluate_only, double* out) {
    auto dtype = layers_[0].weight.scalar_type();
    if (dtype == at::kFloat) run<float>(x, labels, momentum, sgd, statistics, evaluate_only, out);
    else run<double>(x, labels, momentum, sgd, statistics, evaluate_only, out);
  }

  // The gradients of the last step (weight0, bias0, ...), in the step's work buffers.
  std::vector<at::Tensor> gradients() const {
    std::vector<at::Tensor> all;
    for (size_t l = 0; l < layers_.size(); ++l) {
      all.push_back(weight_grads_[l]);
      all.push_back(bias_grads_[l]);
    }
    return all;
  }

 private:
  std::vector<Layer> layers_;
  int activation_;
  HeadSpec head_;
  // Per layer: its output (activation, or the logits for the last) and dL/d(pre-activation), [batch, out].
  std::vector<at::Tensor> outputs_, deltas_;
  std::vector<at::Tensor> weight_grads_, bias_grads_;
  int64_t batch_ = -1;

  void prepare(int64_t batch) {
    if (batch == batch_) return;
    auto options = layers_[0].weight.options();
    outputs_.clear();
    deltas_.clear();
    for (auto& l : layers_) {
      outputs_.push_back(at::empty({batch, l.out}, options));
      deltas_.push_back(at::empty({batch, l.out}, options));
    }
    if (weight_grads_.empty())
      for (auto& l : layers_) {
        weight_grads_.push_back(at::empty({l.out, l.in}, options));
        bias_grads_.push_back(at::empty({l.out}, options));
      }
    batch_ = batch;
  }

  template <typename T>
  void run(const at::Tensor& x, const at::Tensor& labels, const std::vector<at::Tensor>& momentum,
           const SgdSettings* sgd, bool statistics, bool evaluate_only, double* out) {
    const int64_t batch = x.size(0), classes = layers_.back().out, n_layers = int64_t(layers_.size());
    prepare(batch);
    const int64_t* label = labels.data_ptr<int64_t>();
    const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), batch));

    // Phase 1: blocks of examples.
    std::vector<ExampleSums> example_sums(size_t(parts), ExampleSums{});
    at::parallel_for(0, parts, 1, [&](int64_t first, int64_t last) {
      std::vector<double> prob(static_cast<size_t>(classes));
      for (int64_t p = first; p < last; ++p) {
        auto [r0, r1] = block(batch, p, parts);
        const int64_t rows = r1 - r0;
        if (rows == 0) continue;
        const T* input = x.data_ptr<T>() + r0 * layers_[0].in;
        for (int64_t l = 0; l < n_layers; ++l) {
          const Layer& layer = layers_[size_t(l)];
          T* z = outputs_[size_t(l)].data_ptr<T>() + r0 * layer.out;
          gemm<T>(false, true, rows, layer.out, layer.in, input, layer.in, layer.weight.data_ptr<T>(), layer.in, z,
                  layer.out);
          tl::fused::bias_activation<T>(z, layer.bias.data_ptr<T>(), rows, layer.out,
                                        l + 1 < n_layers ? activation_ : TL_ACTIVATION_IDENTITY);
          input = z;
        }
        const T* logits = outputs_.back().data_ptr<T>() + r0 * classes;
        T* dz = deltas_.back().data_ptr<T>() + r0 * classes;
        ExampleSums sums;  // local: neighbouring blocks' sums share a cache line
        for (int64_t i = 0; i < rows; ++i)
          tl::fused::head_example<T>(head_, logits + i * classes, classes, label[r0 + i], 1.0 / double(batch),
                                     statistics, dz + i * classes, prob.data(), sums);
        example_sums[size_t(p)] = sums;
        if (evaluate_only) continue;
        for (int64_t l = n_layers - 1; l > 0; --l) {
          const Layer& layer = layers_[size_t(l)];
          T* below = deltas_[size_t(l - 1)].data_ptr<T>() + r0 * layer.in;
          gemm<T>(false, false, rows, layer.in, layer.out, deltas_[size_t(l)].data_ptr<T>() + r0 * layer.out, layer.out,
                  layer.weight.data_ptr<T>(), layer.in, below, layer.in);
          tl::fused::multiply_activation_derivative<T>(below, outputs_[size_t(l - 1)].data_ptr<T>() + r0 * layer.in,
                                                       rows * layer.in, activation_);
        }
      }
    });

    ExampleSums total;
    for (auto& s : example_sums) total.add(s);
    out[0] = total.loss;
    out[1] = total.correct;
    if (evaluate_only) return;
    out[2] = total.output_gradient_norm;
    out[3] = total.saturated;
    out[4] = total.true_class_probability;

    // Phase 2: blocks of every layer's output units.
    const int64_t n_params = 2 * n_layers;
    std::vector<double> squared_norms(size_t(parts * n_params), 0.0);
    at::parallel_for(0, parts, 1, [&](int64_t first, int64_t last) {
      for (int64_t p = first; p < last; ++p) {
        double* norms = squared_norms.data() + p * n_params;
        for (int64_t l = 0; l < n_layers; ++l) {
          const Layer& layer = layers_[size_t(l)];
          auto [u0, u1] = block(layer.out, p, parts);
          if (u1 == u0) continue;
          const T* delta = deltas_[size_t(l)].data_ptr<T>();
          const T* input = l == 0 ? x.data_ptr<T>() : outputs_[size_t(l - 1)].data_ptr<T>();
          T* gw = weight_grads_[size_t(l)].data_ptr<T>() + u0 * layer.in;
          T* gb = bias_grads_[size_t(l)].data_ptr<T>();
          gemm<T>(true, false, u1 - u0, layer.in, batch, delta + u0, layer.out, input, layer.in, gw, layer.in);
          tl::fused::column_sums<T>(delta + u0, batch, layer.out, u1 - u0, gb + u0);
          if (sgd != nullptr) {
            norms[2 * l] = update<T>(layer.weight, gw, momentum, 2 * l, u0 * layer.in, (u1 - u0) * layer.in, *sgd);
            norms[2 * l + 1] = update<T>(layer.bias, gb + u0, momentum, 2 * l + 1, u0, u1 - u0, *sgd);
          } else {
            norms[2 * l] = tl::fused::squared_norm<T>(gw, (u1 - u0) * layer.in);
            norms[2 * l + 1] = tl::fused::squared_norm<T>(gb + u0, u1 - u0);
          }
        }
      }
    });

    for (int64_t i = 0; i < n_params; ++i) {
      double s = 0;
      for (int64_t p = 0; p < parts; ++p) s += squared_norms[size_t(p * n_params + i)];
      out[5 + i] = std::sqrt(s);
    }
  }

  // SGD with PyTorch's semantics on elements [offset, offset + n) of one parameter, whose gradient is grad[0..n).
  // Returns the gradient's squared L2 norm over those elements.
  template <typename T>
  static double update(const at::Tensor& parameter, const T* grad, const std::vector<at::Tensor>& momentum,
                       int64_t index, int64_t offset, int64_t n, const SgdSettings& sgd) {
    T* w = parameter.data_ptr<T>() + offset;
    T* buffer = momentum.empty() ? nullptr : momentum[size_t(index)].data_ptr<T>() + offset;
    tl::fused::SgdStep<T> step{T(sgd.learning_rate), T(sgd.momentum), T(1 - sgd.dampening), T(sgd.weight_decay)};
    return sgd.weight_decay != 0 ? dispatch<T, true>(w, grad, buffer, n, step, sgd)
                                 : dispatch<T, false>(w, grad, buffer, n, step, sgd);
  }

  template <typename T, bool Decay>
  static double dispatch(T* w, const T* grad, T* buffer, int64_t n, const tl::fused::SgdStep<T>& step, const SgdSettings& sgd) {
    using tl::fused::sgd_update;
    if (buffer == nullptr) return sgd_update<T, Decay, false, false, false>(w, grad, nullptr, n, step);
    if (sgd.fresh_momentum)
      return sgd.nesterov ? sgd_update<T, Decay, true, true, true>(w, grad, buffer, n, step)
                          : sgd_update<T, Decay, true, true, false>(w, grad, buffer, n, step);
    return sgd.nesterov ? sgd_update<T, Decay, true, false, true>(w, grad, buffer, n, step)
                        : sgd_update<T, Decay, true, false, false>(w, grad, buffer, n, step);
  }
};

void check_cpu_contiguous(const at::Tensor& t, at::ScalarType dtype, const char* what) {
  TORCH_CHECK(t.device().is_cpu(), "the fused step runs on the CPU, but ", what, " is on ", t.device());
  TORCH_CHECK(t.scalar_type() == dtype, what, " has dtype ", t.scalar_type(), ", expected ", dtype);
  TORCH_CHECK(t.is_contiguous(), what, " must be contiguous");
}

// Weight and bias pairs as layers, checked to be contiguous CPU float32/float64 tensors that chain.
std::vector<Layer> read_layers(const tl_tensor* params, int n_params) {
  TORCH_CHECK(n_params >= 2 && n_params % 2 == 0, "the fused step needs weight and bias pairs");
  auto dtype = tl::T(params[0]).scalar_type();
  TORCH_CHECK(dtype == at::kFloat || dtype == at::kDouble, "the fused step needs float32 or float64 parameters");
  std::vector<Layer> layers;
  for (int i = 0; i < n_params; i += 2) {
    const at::Tensor& w = tl::T(params[i]);
    const at::Tensor& b = tl::T(params[i + 1]);
    check_cpu_contiguous(w, dtype, "a weight");
    check_cpu_contiguous(b, dtype, "a bias");
    TORCH_CHECK(w.dim() == 2 && b.dim() == 1 && b.size(0) == w.size(0), "layer ", i / 2,
                " is not an [out, in] weight with an [out] bias");
    TORCH_CHECK(layers.empty() || layers.back().out == w.size(1), "layer ", i / 2, " takes ", w.size(1),
                " inputs but the layer before gives ", layers.back().out);
    layers.push_back(Layer{w, b, w.size(1), w.size(0)});
  }
  return layers;
}

// The step behind a handle, bound to the current parameters, with the batch checked against them.
FusedMlp& bind(tl_fused_mlp handle, const tl_tensor* params, int n_params, tl_tensor x, tl_tensor labels) {
  TORCH_CHECK(handle != nullptr, "null fused step");
  auto& mlp = *static_cast<FusedMlp*>(handle);
  mlp.bind(read_layers(params, n_params));
  const auto& layers = mlp.layers();
  const at::Tensor& input = tl::T(x);
  const at::Tensor& y = tl::T(labels);
  check_cpu_contiguous(input, layers[0].weight.scalar_type(), "the input batch");
  check_cpu_contiguous(y, at::kLong, "the labels");
  TORCH_CHECK(input.dim() == 2 && input.size(1) == layers[0].in, "the input batch must be [batch, ", layers[0].in,
              "], got ", input.sizes());
  TORCH_CHECK(y.dim() == 1 && y.size(0) == input.size(0), "the labels must be [batch]");
  TORCH_CHECK(input.size(0) > 0, "empty batch");
  const int64_t classes = layers.back().out;
  const int64_t label_limit = classes == 1 ? 2 : classes;
  const int64_t* l = y.data_ptr<int64_t>();
  for (int64_t i = 0; i < y.size(0); ++i)
    TORCH_CHECK(l[i] >= 0 && l[i] < label_limit, "label ", l[i], " is outside [0, ", label_limit, ")");
  return mlp;
}

}  // namespace

extern "C" {

tl_fused_mlp tl_fused_mlp_create(const tl_tensor* params, int n_params, int hidden_activation, int head,
                                 double squared_error_scale, double true_class_weight, double true_class_target) {
  try {
    TORCH_CHECK(head >= TL_HEAD_SOFTMAX_CE && head <= TL_HEAD_LOGIT_MSE, "unknown head code ", head);
    TORCH_CHECK(hidden_activation >= TL_ACTIVATION_IDENTITY && hidden_activation <= TL_ACTIVATION_RELU,
                "unknown activation code ", hidden_activation);
    auto layers = read_layers(params, n_params);
    int64_t classes = layers.back().out;
    TORCH_CHECK(!((head == TL_HEAD_SOFTMAX_CE || head == TL_HEAD_SOFTMAX_MSE) && classes < 2),
                "softmax heads need at least 2 outputs");
    return new FusedMlp(std::move(layers), hidden_activation,
                        HeadSpec{head, squared_error_scale, true_class_weight, true_class_target});
  }
  TL_CATCH_ALL(return nullptr)
}

int tl_fused_mlp_step(tl_fused_mlp handle, const tl_tensor* params, int n_params, tl_tensor x, tl_tensor labels,
                      const tl_tensor* momentum, const double* sgd, int statistics, double* out) {
  TL_RETURN_STATUS({
    auto& mlp = bind(handle, params, n_params, x, labels);
    const auto& layers = mlp.layers();
    std::vector<at::Tensor> buffers;
    if (momentum != nullptr)
      for (size_t i = 0; i < 2 * layers.size(); ++i) {
        const at::Tensor& b = tl::T(momentum[i]);
        const at::Tensor& like = i % 2 == 0 ? layers[i / 2].weight : layers[i / 2].bias;
        check_cpu_contiguous(b, like.scalar_type(), "a momentum buffer");
        TORCH_CHECK(b.sizes() == like.sizes(), "a momentum buffer's shape differs from its parameter's");
        buffers.push_back(b);
      }
    SgdSettings settings{sgd[0], sgd[1], sgd[2], sgd[3], sgd[4] != 0, sgd[5] != 0};
    TORCH_CHECK((settings.momentum != 0) == (momentum != nullptr),
                "momentum buffers are needed exactly when the momentum is not 0");
    at::NoGradGuard no_grad;
    mlp.step(tl::T(x), tl::T(labels), buffers, &settings, statistics != 0, false, out);
  })
}

int tl_fused_mlp_gradients(tl_fused_mlp handle, const tl_tensor* params, int n_params, tl_tensor x, tl_tensor labels,
                           tl_tensor* gradients, double* out) {
  TL_RETURN_STATUS({
    auto& mlp = bind(handle, params, n_params, x, labels);
    at::NoGradGuard no_grad;
    mlp.step(tl::T(x), tl::T(labels), {}, nullptr, true, false, out);
    auto computed = mlp.gradients();
    for (size_t i = 0; i < computed.size(); ++i) gradients[i] = tl::wrap(computed[i].clone());
  })
}

int tl_fused_mlp_evaluate(tl_fused_mlp handle, const tl_tensor* params, int n_params, tl_tensor x, tl_tensor labels,
                          double* out) {
  TL_RETURN_STATUS({
    auto& mlp = bind(handle, params, n_params, x, labels);
    at::NoGradGuard no_grad;
    mlp.step(tl::T(x), tl::T(labels), {}, nullptr, false, true, out);
  })
}

void tl_fused_mlp_free(tl_fused_mlp handle) { delete static_cast<FusedMlp*>(handle); }

}  // extern "C"
