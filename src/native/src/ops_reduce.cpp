// Reductions: sums, means, norms, extrema.
#include "shim.h"

using tl::T;
using tl::dims_of;

extern "C" {

tl_tensor tl_sum(tl_tensor t, const int64_t* dims, int ndims, int keepdim) {
  TL_RETURN_TENSOR(ndims == 0 ? at::sum(T(t)) : at::sum(T(t), dims_of(dims, ndims), keepdim != 0))
}

tl_tensor tl_mean(tl_tensor t, const int64_t* dims, int ndims, int keepdim) {
  TL_RETURN_TENSOR(ndims == 0 ? at::mean(T(t)) : at::mean(T(t), dims_of(dims, ndims), keepdim != 0))
}

tl_tensor tl_norm(tl_tensor t, double p, const int64_t* dims, int ndims, int keepdim) {
  TL_RETURN_TENSOR(ndims == 0 ? at::norm(T(t), p) : at::norm(T(t), p, dims_of(dims, ndims), keepdim != 0))
}

tl_tensor tl_logsumexp(tl_tensor t, int64_t dim, int keepdim) {
  TL_RETURN_TENSOR(at::logsumexp(T(t), {dim}, keepdim != 0))
}

tl_tensor tl_max_all(tl_tensor t) { TL_RETURN_TENSOR(at::max(T(t))) }

tl_tensor tl_min_all(tl_tensor t) { TL_RETURN_TENSOR(at::min(T(t))) }

int tl_max_dim(tl_tensor t, int64_t dim, int keepdim, tl_tensor* values, tl_tensor* indices) {
  TL_RETURN_STATUS({
    auto r = at::max(T(t), dim, keepdim != 0);
    *values = tl::wrap(std::get<0>(r));
    *indices = tl::wrap(std::get<1>(r));
  })
}

int tl_min_dim(tl_tensor t, int64_t dim, int keepdim, tl_tensor* values, tl_tensor* indices) {
  TL_RETURN_STATUS({
    auto r = at::min(T(t), dim, keepdim != 0);
    *values = tl::wrap(std::get<0>(r));
    *indices = tl::wrap(std::get<1>(r));
  })
}

tl_tensor tl_argmax(tl_tensor t, int64_t dim, int has_dim, int keepdim) {
  TL_RETURN_TENSOR(at::argmax(T(t), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0))
}

tl_tensor tl_argmin(tl_tensor t, int64_t dim, int has_dim, int keepdim) {
  TL_RETURN_TENSOR(at::argmin(T(t), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0))
}

int tl_allclose(tl_tensor a, tl_tensor b, double rtol, double atol, int* out) {
  TL_RETURN_STATUS(*out = at::allclose(T(a), T(b), rtol, atol) ? 1 : 0)
}

}  // extern "C"
