// Errors, versions, seeding, threads, CUDA availability and grad mode.
#include "shim.h"
#include <torch/cuda.h>
#include <torch/version.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <dlfcn.h>

namespace {
thread_local std::string last_error;

template <typename F>
F blas_symbol(const char* name) { return reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name)); }
}  // namespace

namespace tl {
void set_error(const char* message) { last_error = message ? message : "unknown native error"; }

at::ScalarType to_scalar_type(int dtype) {
  switch (dtype) {
    case TL_FLOAT32: return at::kFloat;
    case TL_FLOAT64: return at::kDouble;
    case TL_INT64: return at::kLong;
    case TL_UINT8: return at::kByte;
    case TL_BOOL: return at::kBool;
    case TL_INT32: return at::kInt;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
}

int from_scalar_type(at::ScalarType st) {
  switch (st) {
    case at::kFloat: return TL_FLOAT32;
    case at::kDouble: return TL_FLOAT64;
    case at::kLong: return TL_INT64;
    case at::kByte: return TL_UINT8;
    case at::kBool: return TL_BOOL;
    case at::kInt: return TL_INT32;
    default: throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(st));
  }
}

at::Device to_device(int dev_type, int dev_index) {
  switch (dev_type) {
    case TL_CPU: return at::Device(at::kCPU);
    case TL_CUDA: return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(dev_index));
  }
  throw std::invalid_argument("unknown device type code " + std::to_string(dev_type));
}

at::TensorOptions options(int dtype, int dev_type, int dev_index) {
  return at::TensorOptions().dtype(to_scalar_type(dtype)).device(to_device(dev_type, dev_index));
}
}  // namespace tl

extern "C" {

const char* tl_last_error(void) { return last_error.c_str(); }

const char* tl_torch_version(void) {
  static const std::string v = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) +
                               "." + std::to_string(TORCH_VERSION_PATCH);
  return v.c_str();
}

int tl_cuda_is_available(void) {
  try { return torch::cuda::is_available() ? 1 : 0; } TL_CATCH_ALL(return 0)
}

int tl_cuda_device_count(void) {
  try { return static_cast<int>(torch::cuda::device_count()); } TL_CATCH_ALL(return 0)
}

int tl_cuda_synchronize(int device_index) { TL_RETURN_STATUS(torch::cuda::synchronize(device_index)) }

int tl_manual_seed(uint64_t seed) {
  TL_RETURN_STATUS({
    at::manual_seed(seed);
    if (torch::cuda::is_available()) torch::cuda::manual_seed_all(seed);
  })
}

int tl_get_num_threads(void) { return at::get_num_threads(); }

int tl_set_num_threads(int n) { TL_RETURN_STATUS(at::set_num_threads(n)) }

int tl_get_blas_threads(void) {
  auto get = blas_symbol<int (*)()>("openblas_get_num_threads");
  return get ? get() : -1;
}

int tl_set_blas_threads(int n) {
  auto set = blas_symbol<void (*)(int)>("openblas_set_num_threads");
  if (!set) return -1;
  set(n);
  return 0;
}

const char* tl_blas_name(void) {
  auto config = blas_symbol<char* (*)()>("openblas_get_config");
  if (config) return config();
  return blas_symbol<void*>("mkl_get_max_threads") ? "MKL" : "unknown (no OpenBLAS or MKL symbols)";
}

int tl_is_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }

void tl_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }

}  // extern "C"
