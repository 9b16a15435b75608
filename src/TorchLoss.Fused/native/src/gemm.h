// Row-major matrix products through the caller's Fortran BLAS, or plain loops where it gave none.
#pragma once
#include <cstdint>
#include "torchloss_fused.h"

namespace tl::fused {

// C[m,n] = op(A)[m,k] op(B)[k,n], row-major with leading dimensions lda, ldb, ldc; op transposes when its flag is set.
void gemm(const tlf_blas& blas, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a,
          int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc);
void gemm(const tlf_blas& blas, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const double* a,
          int64_t lda, const double* b, int64_t ldb, double* c, int64_t ldc);

// The same products without a BLAS.
template <typename T>
void gemm_loops(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
                int64_t ldb, T* c, int64_t ldc);

// For as long as it lives, the calling thread's BLAS calls run single-threaded (where the BLAS lets us say so).
class SingleThreadedBlas {
 public:
  explicit SingleThreadedBlas(const tlf_blas& blas)
      : set_(blas.set_threads_local), previous_(set_ ? set_(1) : 0) {}
  ~SingleThreadedBlas() {
    if (set_) set_(previous_);
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  tlf_blas_threads_fn set_;
  int previous_;
};

}  // namespace tl::fused
