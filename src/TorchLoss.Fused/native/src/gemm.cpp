#include "gemm.h"
#include "fused_math.h"  // TL_VECTOR_CLONES

namespace tl::fused {

namespace {

// Column-major BLAS sees the row-major C as C^T = op(B)^T op(A)^T, so the operands swap places.
template <typename T, typename Fn>
void fortran_gemm(Fn f, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
                  const T* b, int64_t ldb, T* c, int64_t ldc) {
  const char ta = trans_a ? 'T' : 'N', tb = trans_b ? 'T' : 'N';
  const int M = int(m), N = int(n), K = int(k), LDA = int(lda), LDB = int(ldb), LDC = int(ldc);
  const T one = 1, zero = 0;
  f(&tb, &ta, &N, &M, &K, &one, b, &LDB, a, &LDA, &zero, c, &LDC);
}

}  // namespace

template <typename T>
TL_VECTOR_CLONES
void gemm_loops(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
                int64_t ldb, T* c, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i) {
    T* row = c + i * ldc;
    if (trans_b) {
      // Dot products of op(A)'s row i with rows of B, in eight partial sums so that the loop vectorises.
      for (int64_t j = 0; j < n; ++j) {
        const T* bj = b + j * ldb;
        T partial[8] = {};
        int64_t p = 0;
        if (!trans_a) {
          const T* ai = a + i * lda;
          for (; p + 8 <= k; p += 8)
            for (int q = 0; q < 8; ++q) partial[q] += ai[p + q] * bj[p + q];
        }
        for (; p < k; ++p) partial[0] += (trans_a ? a[p * lda + i] : a[i * lda + p]) * bj[p];
        T sum = 0;
        for (T s : partial) sum += s;
        row[j] = sum;
      }
    } else {
      // Row i of C as a sum of B's rows, each scaled by one element of op(A): contiguous axpys.
      for (int64_t j = 0; j < n; ++j) row[j] = 0;
      for (int64_t p = 0; p < k; ++p) {
        const T s = trans_a ? a[p * lda + i] : a[i * lda + p];
        const T* bp = b + p * ldb;
        for (int64_t j = 0; j < n; ++j) row[j] += s * bp[j];
      }
    }
  }
}

template void gemm_loops<float>(bool, bool, int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t,
                                float*, int64_t);
template void gemm_loops<double>(bool, bool, int64_t, int64_t, int64_t, const double*, int64_t, const double*,
                                 int64_t, double*, int64_t);

void gemm(const tlf_blas& blas, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a,
          int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  if (blas.sgemm) return fortran_gemm(blas.sgemm, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
  gemm_loops(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
}

void gemm(const tlf_blas& blas, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const double* a,
          int64_t lda, const double* b, int64_t ldb, double* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  if (blas.dgemm) return fortran_gemm(blas.dgemm, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
  gemm_loops(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
}

}  // namespace tl::fused
