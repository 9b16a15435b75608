// Internal helpers shared by the shim's translation units.
#pragma once
#include <ATen/ATen.h>
#include <string>
#include <vector>
#include "torchloss_native.h"

namespace tl {

void set_error(const char* message);

inline at::Tensor& T(tl_tensor h) {
  if (h == nullptr) throw std::invalid_argument("null tensor handle");
  return *static_cast<at::Tensor*>(h);
}

inline tl_tensor wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }

at::ScalarType to_scalar_type(int dtype);
int from_scalar_type(at::ScalarType st);
at::Device to_device(int dev_type, int dev_index);
at::TensorOptions options(int dtype, int dev_type, int dev_index);

inline at::IntArrayRef dims_of(const int64_t* p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

}  // namespace tl

// Runs a body and turns any C++ exception into the thread-local error. Used by every exported function.
#define TL_CATCH_ALL(on_error)                                                   \
  catch (const c10::Error& e) { tl::set_error(e.what_without_backtrace()); on_error; } \
  catch (const std::exception& e) { tl::set_error(e.what()); on_error; }          \
  catch (...) { tl::set_error("unknown native error"); on_error; }

#define TL_RETURN_TENSOR(...) \
  try { return tl::wrap(__VA_ARGS__); } TL_CATCH_ALL(return nullptr)

#define TL_RETURN_STATUS(...) \
  try { __VA_ARGS__; return 0; } TL_CATCH_ALL(return -1)
