// Tensor creation, conversion between dtypes and devices, and copies.
#include "shim.h"

using tl::T;
using tl::dims_of;
using tl::options;

extern "C" {

tl_tensor tl_empty(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::empty(dims_of(shape, ndim), options(dtype, dev_type, dev_index)))
}

tl_tensor tl_zeros(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::zeros(dims_of(shape, ndim), options(dtype, dev_type, dev_index)))
}

tl_tensor tl_ones(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::ones(dims_of(shape, ndim), options(dtype, dev_type, dev_index)))
}

tl_tensor tl_full(const int64_t* shape, int ndim, double value, int dtype, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::full(dims_of(shape, ndim), value, options(dtype, dev_type, dev_index)))
}

tl_tensor tl_arange(double start, double end, double step, int dtype, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::arange(start, end, step, options(dtype, dev_type, dev_index)))
}

tl_tensor tl_rand(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::rand(dims_of(shape, ndim), options(dtype, dev_type, dev_index)))
}

tl_tensor tl_randn(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::randn(dims_of(shape, ndim), options(dtype, dev_type, dev_index)))
}

tl_tensor tl_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype, int dev_type,
                     int dev_index) {
  TL_RETURN_TENSOR(at::randint(low, high, dims_of(shape, ndim), options(dtype, dev_type, dev_index)))
}

tl_tensor tl_randperm(int64_t n, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::randperm(n, options(TL_INT64, dev_type, dev_index)))
}

tl_tensor tl_from_buffer(const void* data, const int64_t* shape, int ndim, int dtype) {
  TL_RETURN_TENSOR(at::from_blob(const_cast<void*>(data), dims_of(shape, ndim), options(dtype, TL_CPU, -1)).clone())
}

tl_tensor tl_scalar_tensor(double value, int dtype, int dev_type, int dev_index) {
  TL_RETURN_TENSOR(at::scalar_tensor(value, options(dtype, dev_type, dev_index)))
}

tl_tensor tl_to_device(tl_tensor t, int dev_type, int dev_index, int non_blocking) {
  TL_RETURN_TENSOR(T(t).to(tl::to_device(dev_type, dev_index), non_blocking != 0))
}

tl_tensor tl_to_dtype(tl_tensor t, int dtype) { TL_RETURN_TENSOR(T(t).to(tl::to_scalar_type(dtype))) }

tl_tensor tl_clone(tl_tensor t) { TL_RETURN_TENSOR(T(t).clone()) }

tl_tensor tl_detach(tl_tensor t) { TL_RETURN_TENSOR(T(t).detach()) }

tl_tensor tl_contiguous(tl_tensor t) { TL_RETURN_TENSOR(T(t).contiguous()) }

tl_tensor tl_alias(tl_tensor t) { TL_RETURN_TENSOR(T(t)) }

}  // extern "C"
