// Handle lifetime, metadata, scalar extraction and copies to host memory.
#include "shim.h"
#include <cstring>

using tl::T;

extern "C" {

void tl_free(tl_tensor t) { delete static_cast<at::Tensor*>(t); }

int tl_dim(tl_tensor t, int64_t* out) { TL_RETURN_STATUS(*out = T(t).dim()) }

int tl_shape(tl_tensor t, int64_t* out, int capacity) {
  TL_RETURN_STATUS({
    auto sizes = T(t).sizes();
    if (static_cast<int>(sizes.size()) > capacity) throw std::invalid_argument("shape buffer too small");
    std::copy(sizes.begin(), sizes.end(), out);
  })
}

int tl_numel(tl_tensor t, int64_t* out) { TL_RETURN_STATUS(*out = T(t).numel()) }

int tl_dtype(tl_tensor t, int* out) { TL_RETURN_STATUS(*out = tl::from_scalar_type(T(t).scalar_type())) }

int tl_device(tl_tensor t, int* type, int* index) {
  TL_RETURN_STATUS({
    auto d = T(t).device();
    if (d.is_cpu()) *type = TL_CPU;
    else if (d.is_cuda()) *type = TL_CUDA;
    else throw std::invalid_argument("tensor is on an unsupported device: " + d.str());
    *index = d.has_index() ? d.index() : -1;
  })
}

int tl_requires_grad(tl_tensor t, int* out) { TL_RETURN_STATUS(*out = T(t).requires_grad() ? 1 : 0) }

int tl_is_leaf(tl_tensor t, int* out) { TL_RETURN_STATUS(*out = T(t).is_leaf() ? 1 : 0) }

int tl_item_double(tl_tensor t, double* out) { TL_RETURN_STATUS(*out = T(t).item<double>()) }

int tl_item_int64(tl_tensor t, int64_t* out) { TL_RETURN_STATUS(*out = T(t).item<int64_t>()) }

int tl_copy_to_buffer(tl_tensor t, void* dst, int64_t nbytes) {
  TL_RETURN_STATUS({
    at::Tensor host = T(t).detach().to(at::kCPU).contiguous();
    int64_t have = host.numel() * static_cast<int64_t>(host.element_size());
    if (have != nbytes)
      throw std::invalid_argument("buffer holds " + std::to_string(nbytes) + " bytes but the tensor has " +
                                  std::to_string(have));
    if (have > 0) std::memcpy(dst, host.data_ptr(), static_cast<size_t>(have));
  })
}

}  // extern "C"
