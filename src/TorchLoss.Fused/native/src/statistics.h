// Step statistics of a training step taken elsewhere (TorchSharp's autograd), read from its tensors' memory in one
// pass: the values of tlf_step's out (TLF_OUT_CORRECT .. TLF_OUT_WRONG_SATURATED, then the gradient norms), by the same
// rules as the fused step's own (fused_math.h), so that recording them costs one call instead of a few dozen
// dispatched tensor ops.
#pragma once
#include <cstdint>
#include "torchloss_fused.h"

namespace tl::fused {

struct StatisticsInput {
  int64_t batch, classes;
  const tlf_head* head;         // a built-in head: probabilities and predictions from the logits by its rules
  const void* logits;           // [batch, classes], read with a head
  const void* probabilities;    // [batch, classes], read without a head (null: none)
  const int64_t* predicted;     // [batch], read without a head
  const void* output_gradient;  // [batch, classes], row norms summed as given; null: only the correct count
  const int64_t* labels;        // [batch]
  int gradient_count;
  const void* const* gradients;  // each null (norm 0) or gradient_lengths[i] values
  const int64_t* gradient_lengths;
};

// out: TLF_OUT_FIXED + gradient_count values; out[TLF_OUT_LOSS_SUM] is left as it was.
template <typename T>
void step_statistics(const StatisticsInput& in, double* out);

}  // namespace tl::fused
