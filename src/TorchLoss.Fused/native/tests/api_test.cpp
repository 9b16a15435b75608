// The C ABI refuses bad arguments with -1 (NULL from tlf_create) and a message, never a crash or an exception.
#include <gtest/gtest.h>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>
#include "torchloss_fused.h"

namespace {

const tlf_blas kNoBlas{nullptr, nullptr, nullptr};
const tlf_head kSoftmax{TLF_HEAD_SOFTMAX_CE, 0.5, 1, 1};

std::string error() { return tlf_last_error(); }

// A 3-2 linear model on float64 with its parameters, input and labels.
struct Fixture {
  int64_t widths[2] = {3, 2};
  std::vector<double> w{0.1, -0.2, 0.3, 0.4, 0.5, -0.6}, b{0.01, -0.02}, x{1, 2, 3, -1, 0, 1};
  std::vector<int64_t> y{0, 1};
  std::vector<void*> params{w.data(), b.data()};
  std::vector<double> out = std::vector<double>(TLF_OUT_FIXED + 2);
  tlf_sgd sgd{0.1, 0, 0, 0, 0, 0};
  tlf_mlp* mlp = tlf_create(TLF_FLOAT64, 1, widths, TLF_ACTIVATION_IDENTITY, &kSoftmax, 2, &kNoBlas);
  ~Fixture() { tlf_free(mlp); }
};

}  // namespace

TEST(Api, CreateRefusesBadArguments) {
  int64_t widths[] = {3, 1};
  EXPECT_EQ(tlf_create(TLF_FLOAT64, 1, widths, TLF_ACTIVATION_IDENTITY, &kSoftmax, 1, &kNoBlas), nullptr);
  EXPECT_EQ(error(), "softmax heads need at least 2 outputs");
  int64_t good[] = {3, 2};
  EXPECT_EQ(tlf_create(7, 1, good, TLF_ACTIVATION_IDENTITY, &kSoftmax, 1, &kNoBlas), nullptr);
  EXPECT_EQ(error(), "unknown dtype code 7");
  EXPECT_EQ(tlf_create(TLF_FLOAT64, 1, good, 9, &kSoftmax, 1, &kNoBlas), nullptr);
  EXPECT_EQ(error(), "unknown activation code 9");
  EXPECT_EQ(tlf_create(TLF_FLOAT64, 1, good, TLF_ACTIVATION_IDENTITY, &kSoftmax, 0, &kNoBlas), nullptr);
  EXPECT_EQ(error(), "thread count 0 out of range");
  EXPECT_EQ(tlf_create(TLF_FLOAT64, 1, good, TLF_ACTIVATION_IDENTITY, nullptr, 1, &kNoBlas), nullptr);
  EXPECT_EQ(error(), "no head");
  int64_t zero[] = {3, 0};
  EXPECT_EQ(tlf_create(TLF_FLOAT64, 1, zero, TLF_ACTIVATION_IDENTITY, &kSoftmax, 1, &kNoBlas), nullptr);
  EXPECT_EQ(error(), "layer width 0 out of range");
  tlf_head logit{TLF_HEAD_LOGIT_MSE, 0.5, 1, 0};
  EXPECT_EQ(tlf_create(TLF_FLOAT64, 1, good, TLF_ACTIVATION_IDENTITY, &logit, 1, &kNoBlas), nullptr);
  EXPECT_EQ(error(), "the logit target M must not be 0");
}

TEST(Api, StepRefusesBadArgumentsAndLeavesTheParametersAlone) {
  Fixture f;
  ASSERT_NE(f.mlp, nullptr) << error();
  EXPECT_EQ(tlf_output_length(f.mlp), TLF_OUT_FIXED + 2);
  const auto w = f.w;
  f.y[1] = 2;
  EXPECT_EQ(tlf_step(f.mlp, f.params.data(), nullptr, f.x.data(), f.y.data(), 2, &f.sgd, 1, f.out.data()), -1);
  EXPECT_EQ(error(), "label 2 is outside [0, 2)");
  f.y[1] = 1;
  EXPECT_EQ(tlf_step(f.mlp, f.params.data(), nullptr, f.x.data(), f.y.data(), 0, &f.sgd, 1, f.out.data()), -1);
  EXPECT_EQ(error(), "empty batch");
  EXPECT_EQ(tlf_step(nullptr, f.params.data(), nullptr, f.x.data(), f.y.data(), 2, &f.sgd, 1, f.out.data()), -1);
  EXPECT_EQ(error(), "null fused mlp");
  std::vector<void*> missing{f.w.data(), nullptr};
  EXPECT_EQ(tlf_step(f.mlp, missing.data(), nullptr, f.x.data(), f.y.data(), 2, &f.sgd, 1, f.out.data()), -1);
  EXPECT_EQ(error(), "a null pointer among the parameters");
  f.sgd.momentum = 0.9;
  EXPECT_EQ(tlf_step(f.mlp, f.params.data(), nullptr, f.x.data(), f.y.data(), 2, &f.sgd, 1, f.out.data()), -1);
  EXPECT_EQ(error(), "momentum buffers are needed exactly when the momentum is not 0");
  EXPECT_EQ(f.w, w);

  f.sgd.momentum = 0;
  ASSERT_EQ(tlf_step(f.mlp, f.params.data(), nullptr, f.x.data(), f.y.data(), 2, &f.sgd, 1, f.out.data()), 0) << error();
  EXPECT_NE(f.w, w);
  EXPECT_GT(f.out[TLF_OUT_LOSS_SUM], 0);
}

TEST(Api, GradientsOfALinearSoftmaxModelAreTheTextbookOnes) {
  Fixture f;
  std::vector<double> gw(6), gb(2);
  std::vector<void*> grads{gw.data(), gb.data()};
  ASSERT_EQ(tlf_gradients(f.mlp, f.params.data(), f.x.data(), f.y.data(), 2, grads.data(), f.out.data()), 0) << error();
  // dL/dW = mean over examples of (softmax(z) - onehot) x^T.
  std::vector<double> ew(6, 0), eb(2, 0);
  double loss = 0;
  for (int i = 0; i < 2; ++i) {
    double z[2];
    for (int o = 0; o < 2; ++o) {
      z[o] = f.b[size_t(o)];
      for (int j = 0; j < 3; ++j) z[o] += f.w[size_t(o * 3 + j)] * f.x[size_t(i * 3 + j)];
    }
    double m = std::max(z[0], z[1]), s = std::exp(z[0] - m) + std::exp(z[1] - m);
    loss += m + std::log(s) - z[f.y[size_t(i)]];
    for (int o = 0; o < 2; ++o) {
      double g = std::exp(z[o] - m) / s - (o == f.y[size_t(i)] ? 1 : 0);
      eb[size_t(o)] += g / 2;
      for (int j = 0; j < 3; ++j) ew[size_t(o * 3 + j)] += g * f.x[size_t(i * 3 + j)] / 2;
    }
  }
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(gw[size_t(i)], ew[size_t(i)], 1e-14);
  for (int i = 0; i < 2; ++i) EXPECT_NEAR(gb[size_t(i)], eb[size_t(i)], 1e-14);
  EXPECT_NEAR(f.out[TLF_OUT_LOSS_SUM], loss, 1e-14);
  double evaluated[2];
  ASSERT_EQ(tlf_evaluate(f.mlp, f.params.data(), f.x.data(), f.y.data(), 2, evaluated), 0);
  EXPECT_EQ(evaluated[0], f.out[TLF_OUT_LOSS_SUM]);
  EXPECT_EQ(evaluated[1], f.out[TLF_OUT_CORRECT]);
}
