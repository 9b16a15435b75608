#include "statistics.h"
#include <cmath>
#include <vector>
#include "fused_math.h"

namespace tl::fused {

template <typename T>
void step_statistics(const StatisticsInput& in, double* out) {
  const int64_t c = in.classes;
  const bool diagnostics = in.output_gradient != nullptr;
  ExampleSums sums;
  std::vector<double> prob(static_cast<size_t>(c));
  for (int64_t i = 0; i < in.batch; ++i) {
    const int64_t label = in.labels[i];
    const T* z = in.head != nullptr ? static_cast<const T*>(in.logits) + i * c : nullptr;
    sums.correct += (z != nullptr ? head_prediction(*in.head, z, c) : in.predicted[i]) == label ? 1 : 0;
    if (!diagnostics) continue;
    sums.output_gradient_norm += std::sqrt(squared_norm<T>(static_cast<const T*>(in.output_gradient) + i * c, c));
    if (z != nullptr) {
      head_probabilities(*in.head, z, c, prob.data());
    } else if (in.probabilities != nullptr) {
      const T* p = static_cast<const T*>(in.probabilities) + i * c;
      for (int64_t j = 0; j < c; ++j) prob[size_t(j)] = p[j];
    } else {
      continue;
    }
    probability_statistics(prob.data(), c, label, sums);
  }
  out[TLF_OUT_CORRECT] = sums.correct;
  out[TLF_OUT_OUTPUT_GRADIENT_NORM_SUM] = sums.output_gradient_norm;
  out[TLF_OUT_SATURATED] = sums.saturated;
  out[TLF_OUT_TRUE_CLASS_PROBABILITY_SUM] = sums.true_class_probability;
  out[TLF_OUT_WRONG_SATURATED] = sums.wrong_saturated;
  for (int k = 0; k < in.gradient_count; ++k) {
    const T* g = static_cast<const T*>(in.gradients[k]);
    out[TLF_OUT_FIXED + k] = g == nullptr ? 0 : std::sqrt(squared_norm<T>(g, in.gradient_lengths[k]));
  }
}

template void step_statistics<float>(const StatisticsInput&, double*);
template void step_statistics<double>(const StatisticsInput&, double*);

}  // namespace tl::fused
