// Views, reshapes, slicing, indexing, concatenation.
#include "shim.h"

using tl::T;
using tl::dims_of;

namespace {
std::vector<at::Tensor> gather_list(const tl_tensor* ts, int n) {
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) list.push_back(T(ts[i]));
  return list;
}
}  // namespace

extern "C" {

tl_tensor tl_view(tl_tensor t, const int64_t* shape, int ndim) { TL_RETURN_TENSOR(T(t).view(dims_of(shape, ndim))) }

tl_tensor tl_reshape(tl_tensor t, const int64_t* shape, int ndim) {
  TL_RETURN_TENSOR(T(t).reshape(dims_of(shape, ndim)))
}

tl_tensor tl_transpose(tl_tensor t, int64_t d0, int64_t d1) { TL_RETURN_TENSOR(T(t).transpose(d0, d1)) }

tl_tensor tl_permute(tl_tensor t, const int64_t* dims, int ndim) { TL_RETURN_TENSOR(T(t).permute(dims_of(dims, ndim))) }

tl_tensor tl_narrow(tl_tensor t, int64_t dim, int64_t start, int64_t length) {
  TL_RETURN_TENSOR(T(t).narrow(dim, start, length))
}

tl_tensor tl_slice(tl_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  TL_RETURN_TENSOR(T(t).slice(dim, start, end, step))
}

tl_tensor tl_select(tl_tensor t, int64_t dim, int64_t index) { TL_RETURN_TENSOR(T(t).select(dim, index)) }

tl_tensor tl_index_select(tl_tensor t, int64_t dim, tl_tensor index) {
  TL_RETURN_TENSOR(at::index_select(T(t), dim, T(index)))
}

tl_tensor tl_gather(tl_tensor t, int64_t dim, tl_tensor index) { TL_RETURN_TENSOR(at::gather(T(t), dim, T(index))) }

tl_tensor tl_cat(const tl_tensor* ts, int n, int64_t dim) { TL_RETURN_TENSOR(at::cat(gather_list(ts, n), dim)) }

tl_tensor tl_stack(const tl_tensor* ts, int n, int64_t dim) { TL_RETURN_TENSOR(at::stack(gather_list(ts, n), dim)) }

tl_tensor tl_squeeze(tl_tensor t, int64_t dim, int has_dim) {
  TL_RETURN_TENSOR(has_dim ? T(t).squeeze(dim) : T(t).squeeze())
}

tl_tensor tl_unsqueeze(tl_tensor t, int64_t dim) { TL_RETURN_TENSOR(T(t).unsqueeze(dim)) }

tl_tensor tl_expand(tl_tensor t, const int64_t* shape, int ndim) { TL_RETURN_TENSOR(T(t).expand(dims_of(shape, ndim))) }

tl_tensor tl_flatten(tl_tensor t, int64_t start, int64_t end) { TL_RETURN_TENSOR(T(t).flatten(start, end)) }

tl_tensor tl_one_hot(tl_tensor t, int64_t num_classes) { TL_RETURN_TENSOR(at::one_hot(T(t), num_classes)) }

}  // extern "C"
