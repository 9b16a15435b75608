#include <gtest/gtest.h>
#include <random>
#include <vector>
#include "gemm.h"

namespace {

// Row-major op(A)[m,k] op(B)[k,n] the slow way, in double.
std::vector<double> reference(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const std::vector<double>& a, int64_t lda,
                              const std::vector<double>& b, int64_t ldb) {
  std::vector<double> c(size_t(m * n));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t p = 0; p < k; ++p) s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
      c[size_t(i * n + j)] = s;
    }
  return c;
}

}  // namespace

class GemmLoops : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(GemmLoops, EqualTheDefinitionForEveryTransposeAndLeadingDimension) {
  auto [ta, tb] = GetParam();
  const int64_t m = 7, n = 13, k = 19, pad = 3;
  const int64_t lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> a(size_t((ta ? k : m) * lda)), b(size_t((tb ? n : k) * ldb));
  for (auto& v : a) v = u(rng);
  for (auto& v : b) v = u(rng);
  std::vector<double> c(size_t(m * ldc), 42.0);
  tl::fused::gemm_loops<double>(ta, tb, m, n, k, a.data(), lda, b.data(), ldb, c.data(), ldc);
  auto expected = reference(ta, tb, m, n, k, a, lda, b, ldb);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) EXPECT_NEAR(c[size_t(i * ldc + j)], expected[size_t(i * n + j)], 1e-12);
    for (int64_t j = n; j < ldc; ++j) EXPECT_EQ(c[size_t(i * ldc + j)], 42.0) << "wrote past the row";
  }
}

INSTANTIATE_TEST_SUITE_P(Transposes, GemmLoops, ::testing::Combine(::testing::Bool(), ::testing::Bool()));

TEST(Gemm, WithoutABlasUsesTheLoops) {
  tlf_blas none{nullptr, nullptr, nullptr};
  std::vector<float> a{1, 2, 3, 4}, b{5, 6, 7, 8}, c(4);
  tl::fused::gemm(none, false, false, 2, 2, 2, a.data(), 2, b.data(), 2, c.data(), 2);
  EXPECT_EQ(c, (std::vector<float>{19, 22, 43, 50}));
}
