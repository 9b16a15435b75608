// The C ABI: argument checks, and every exception turned into -1 (or NULL) plus a thread-local message.
#include <algorithm>
#include <climits>
#include <new>
#include <stdexcept>
#include <string>
#include "mlp.h"
#include "statistics.h"

#define TLF_EXPORT extern "C" __attribute__((visibility("default")))

struct tlf_mlp {
  std::unique_ptr<tl::fused::Engine> engine;
};

namespace {

thread_local std::string last_error;

struct Refused : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

void require(bool ok, const std::string& message) {
  if (!ok) throw Refused(message);
}

template <typename F>
int guarded(F&& f) {
  try {
    f();
    return 0;
  } catch (const std::bad_alloc&) {
    last_error = "out of memory";
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown error";
  }
  return -1;
}

tl::fused::Engine& engine_of(tlf_mlp* mlp) {
  require(mlp != nullptr && mlp->engine != nullptr, "null fused mlp");
  return *mlp->engine;
}

void require_pointers(const void* const* pointers, int64_t n, const char* what) {
  require(pointers != nullptr, std::string("no ") + what);
  for (int64_t i = 0; i < n; ++i) require(pointers[i] != nullptr, std::string("a null pointer among the ") + what);
}

// Checks the batch every entry point shares.
void require_batch(const tl::fused::Engine& e, const void* const* params, const void* x, const int64_t* labels,
                   int64_t batch, const double* out) {
  require_pointers(params, 2 * e.layers(), "parameters");
  require(x != nullptr && labels != nullptr && out != nullptr, "null input, labels or output");
  require(batch > 0, "empty batch");
  int64_t widest = 1;
  for (int64_t i = 0; i <= e.layers(); ++i) widest = std::max(widest, e.width(i));
  require(batch <= INT_MAX / widest, "batch too large");  // BLAS takes int dimensions
  const int64_t limit = e.width(e.layers()) == 1 ? 2 : e.width(e.layers());
  for (int64_t i = 0; i < batch; ++i)
    require(labels[i] >= 0 && labels[i] < limit,
            "label " + std::to_string(labels[i]) + " is outside [0, " + std::to_string(limit) + ")");
}

}  // namespace

TLF_EXPORT const char* tlf_last_error(void) { return last_error.c_str(); }

TLF_EXPORT tlf_mlp* tlf_create(int dtype, int n_layers, const int64_t* widths, int hidden_activation,
                               const tlf_head* head, int threads, const tlf_blas* blas) {
  tlf_mlp* created = nullptr;
  guarded([&] {
    require(dtype == TLF_FLOAT32 || dtype == TLF_FLOAT64, "unknown dtype code " + std::to_string(dtype));
    require(n_layers >= 1 && widths != nullptr, "the fused step needs at least one layer");
    std::vector<int64_t> w(widths, widths + n_layers + 1);
    for (int64_t v : w) require(v > 0 && v <= INT_MAX / 64, "layer width " + std::to_string(v) + " out of range");
    require(hidden_activation >= TLF_ACTIVATION_IDENTITY && hidden_activation <= TLF_ACTIVATION_RELU,
            "unknown activation code " + std::to_string(hidden_activation));
    require(head != nullptr, "no head");
    require(head->kind >= 0 && head->kind < TLF_HEAD_COUNT,
            "unknown head code " + std::to_string(head->kind));
    require(!((head->kind == TLF_HEAD_SOFTMAX_CE || head->kind == TLF_HEAD_SOFTMAX_MSE) && w.back() < 2),
            "softmax heads need at least 2 outputs");
    require(head->kind != TLF_HEAD_LOGIT_MSE || head->true_class_target != 0, "the logit target M must not be 0");
    require(threads >= 1 && threads <= 1024, "thread count " + std::to_string(threads) + " out of range");
    require(blas != nullptr, "no BLAS table (its entries may be null)");
    auto engine = tl::fused::Engine::create(dtype, std::move(w), hidden_activation, *head, threads, *blas);
    created = new tlf_mlp{std::move(engine)};
  });
  return created;
}

TLF_EXPORT void tlf_free(tlf_mlp* mlp) { delete mlp; }

TLF_EXPORT int tlf_output_length(const tlf_mlp* mlp) {
  return mlp != nullptr && mlp->engine ? mlp->engine->output_length() : -1;
}

TLF_EXPORT int tlf_step(tlf_mlp* mlp, void* const* params, void* const* momentum, const void* x,
                        const int64_t* labels, int64_t batch, const tlf_sgd* sgd, int statistics, double* out) {
  return guarded([&] {
    auto& e = engine_of(mlp);
    require_batch(e, params, x, labels, batch, out);
    require(sgd != nullptr, "no SGD settings");
    require((sgd->momentum != 0) == (momentum != nullptr),
            "momentum buffers are needed exactly when the momentum is not 0");
    if (momentum != nullptr) require_pointers(momentum, 2 * e.layers(), "momentum buffers");
    e.run(tl::fused::Pass{params, momentum, nullptr, x, labels, batch, sgd, statistics != 0, false}, out);
  });
}

TLF_EXPORT int tlf_gradients(tlf_mlp* mlp, const void* const* params, const void* x, const int64_t* labels,
                             int64_t batch, void* const* gradients, double* out) {
  return guarded([&] {
    auto& e = engine_of(mlp);
    require_batch(e, params, x, labels, batch, out);
    require_pointers(gradients, 2 * e.layers(), "gradient buffers");
    // Without an update the parameters are only read.
    auto writable = const_cast<void* const*>(params);
    e.run(tl::fused::Pass{writable, nullptr, gradients, x, labels, batch, nullptr, true, false}, out);
  });
}

TLF_EXPORT int tlf_evaluate(tlf_mlp* mlp, const void* const* params, const void* x, const int64_t* labels,
                            int64_t batch, double* out) {
  return guarded([&] {
    auto& e = engine_of(mlp);
    require_batch(e, params, x, labels, batch, out);
    auto writable = const_cast<void* const*>(params);
    e.run(tl::fused::Pass{writable, nullptr, nullptr, x, labels, batch, nullptr, false, true}, out);
  });
}

TLF_EXPORT int tlf_statistics(int dtype, int64_t batch, int64_t classes, const tlf_head* head, const void* logits,
                              const void* probabilities, const int64_t* predicted, const void* output_gradient,
                              const int64_t* labels, int n_gradients, const void* const* gradients,
                              const int64_t* gradient_lengths, double* out) {
  return guarded([&] {
    require(dtype == TLF_FLOAT32 || dtype == TLF_FLOAT64, "unknown dtype code " + std::to_string(dtype));
    require(batch >= 0 && classes >= 1, "bad shape");
    require(labels != nullptr && out != nullptr, "null labels or output");
    if (head != nullptr) {
      require(head->kind >= 0 && head->kind < TLF_HEAD_COUNT,
              "unknown head code " + std::to_string(head->kind));
      require(head->kind != TLF_HEAD_LOGIT_MSE || head->true_class_target != 0, "the logit target M must not be 0");
      require(logits != nullptr, "a head needs the logits");
    } else {
      require(predicted != nullptr, "without a head, the predictions are needed");
    }
    require(n_gradients >= 0 && (n_gradients == 0 || (gradients != nullptr && gradient_lengths != nullptr)),
            "no gradients");
    // The true class's probability is read at the label.
    const int64_t limit = classes == 1 ? 2 : classes;
    if (output_gradient != nullptr && (head != nullptr || probabilities != nullptr))
      for (int64_t i = 0; i < batch; ++i)
        require(labels[i] >= 0 && labels[i] < limit,
                "label " + std::to_string(labels[i]) + " is outside [0, " + std::to_string(limit) + ")");
    const tl::fused::StatisticsInput in{batch,  classes,     head,        logits,    probabilities,  predicted,
                                        output_gradient, labels, n_gradients, gradients, gradient_lengths};
    if (dtype == TLF_FLOAT32) tl::fused::step_statistics<float>(in, out);
    else tl::fused::step_statistics<double>(in, out);
  });
}
