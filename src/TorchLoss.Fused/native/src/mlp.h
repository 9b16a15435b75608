// The fused MLP training step on CPU: forward pass, the head's hand-derived dL/dz, backpropagation, step
// statistics and the SGD update in one call, without autograd, over the caller's raw parameter memory.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>
#include "fused_math.h"
#include "torchloss_fused.h"

namespace tl::fused {

// One call's memory and settings. Every pointer has been checked by the caller of Engine::run.
struct Pass {
  void* const* params;     // weight0, bias0, weight1, bias1, ...
  void* const* momentum;   // one buffer per parameter, or null without momentum
  void* const* gradients;  // caller memory for the gradients, or null: the engine's own buffers
  const void* x;           // [batch, widths[0]]
  const int64_t* labels;   // [batch]
  int64_t batch;
  const tlf_sgd* sgd;      // null: no update
  bool statistics;
  bool evaluate_only;      // stop after the head: loss sum and correct count only
};

class Engine {
 public:
  virtual ~Engine() = default;
  // out receives output_length() values (2 with evaluate_only).
  virtual void run(const Pass& pass, double* out) = 0;
  virtual int64_t layers() const = 0;
  virtual int64_t width(int64_t i) const = 0;  // widths[0] inputs, widths[l + 1] outputs of layer l
  int output_length() const { return TLF_OUT_FIXED + 2 * int(layers()); }

  static std::unique_ptr<Engine> create(int dtype, std::vector<int64_t> widths, int activation, HeadSpec head,
                                        int threads, tlf_blas blas);
};

}  // namespace tl::fused
