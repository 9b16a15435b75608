// C ABI of libtorchloss_fused: the fused CPU training step of a multilayer perceptron (linear layers with one
// hidden activation) over raw float/double memory, without autograd and without libtorch.
//
// Conventions:
//  - Parameters are passed per call as pointers, weight0, bias0, weight1, bias1, ...: weight l is [out_l, in_l]
//    row-major, bias l is [out_l], all contiguous and of the mlp's dtype. A step updates them in place.
//  - x is [batch, in_0] row-major of the mlp's dtype; labels are int64 [batch], a class index in [0, C), or 0/1
//    when the last layer has a single output (C == 1).
//  - Functions returning int return 0 on success and -1 on error; tlf_create returns NULL on error. After an
//    error, tlf_last_error() holds the message (thread-local, valid until the next call on that thread).
//    No C++ exception crosses this boundary.
//  - One mlp must not be used by two calls at once.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { TLF_FLOAT32 = 0, TLF_FLOAT64 = 1 };
enum { TLF_ACTIVATION_IDENTITY = 0, TLF_ACTIVATION_SIGMOID, TLF_ACTIVATION_TANH, TLF_ACTIVATION_RELU };
// A head's code; TLF_HEAD_COUNT, one past the last, bounds the valid ones.
enum { TLF_HEAD_SOFTMAX_CE = 0, TLF_HEAD_SOFTMAX_MSE, TLF_HEAD_SIGMOID_MSE, TLF_HEAD_SIGMOID_BCE, TLF_HEAD_LOGIT_MSE, TLF_HEAD_COUNT };

// Values a step writes before one gradient L2 norm per parameter (in the order of the parameters).
enum {
  TLF_OUT_LOSS_SUM = 0,              // summed per-example loss
  TLF_OUT_CORRECT,                   // correct predictions
  TLF_OUT_OUTPUT_GRADIENT_NORM_SUM,  // summed per-example ||dL_i/dz||
  TLF_OUT_SATURATED,                 // outputs whose probability is within 0.01 of 0 or 1
  TLF_OUT_TRUE_CLASS_PROBABILITY_SUM,
  TLF_OUT_WRONG_SATURATED,           // of those, the wrong ones: the true class's output near 0, another's near 1
  TLF_OUT_FIXED                      // count of the values above
};

// Fortran BLAS ?gemm (column-major), as exported by MKL, OpenBLAS or the reference BLAS.
typedef void (*tlf_sgemm_fn)(const char* transa, const char* transb, const int* m, const int* n, const int* k,
                             const float* alpha, const float* a, const int* lda, const float* b, const int* ldb,
                             const float* beta, float* c, const int* ldc);
typedef void (*tlf_dgemm_fn)(const char* transa, const char* transb, const int* m, const int* n, const int* k,
                             const double* alpha, const double* a, const int* lda, const double* b, const int* ldb,
                             const double* beta, double* c, const int* ldc);
// Sets the calling thread's BLAS thread count and returns the previous one (MKL's C entry MKL_Set_Num_Threads_Local,
// where 0 means "the global setting"). Optional: with it, every BLAS call of the engine runs single-threaded.
typedef int (*tlf_blas_threads_fn)(int threads);

typedef struct tlf_blas {
  tlf_sgemm_fn sgemm;  // NULL: plain loops
  tlf_dgemm_fn dgemm;  // NULL: plain loops
  tlf_blas_threads_fn set_threads_local;  // may be NULL
} tlf_blas;

typedef struct tlf_head {
  int kind;                    // TLF_HEAD_*
  double squared_error_scale;  // factor on the per-example sum of squares: 1/2 (half sum) or 1/C
  double true_class_weight;    // logit square loss: weight k of the true class's term
  double true_class_target;    // logit square loss: target M of the true class's logit
} tlf_head;

// PyTorch's SGD: d = g + weight_decay * w; buf = fresh ? d : momentum * buf + (1 - dampening) * d;
// d = nesterov ? d + momentum * buf : buf (with momentum != 0); w -= learning_rate * d.
typedef struct tlf_sgd {
  double learning_rate, momentum, dampening, weight_decay;
  int nesterov;        // 0/1
  int fresh_momentum;  // 0/1: the buffers start as the first step's d (PyTorch's first step)
} tlf_sgd;

typedef struct tlf_mlp tlf_mlp;

// widths[0..n_layers]: the input width, then each layer's output width. threads >= 1: the engine's own threads
// (the calling thread included); results are deterministic for a given thread count.
tlf_mlp* tlf_create(int dtype, int n_layers, const int64_t* widths, int hidden_activation, const tlf_head* head,
                    int threads, const tlf_blas* blas);
void tlf_free(tlf_mlp* mlp);
const char* tlf_last_error(void);
// TLF_OUT_FIXED + 2 * n_layers.
int tlf_output_length(const tlf_mlp* mlp);

// One training step: forward, the head's dL/dz, backpropagation, statistics, SGD. momentum: one buffer per
// parameter (shaped like it), exactly when sgd->momentum != 0, else NULL. out receives tlf_output_length values;
// with statistics == 0 the per-example diagnostics (TLF_OUT_OUTPUT_GRADIENT_NORM_SUM .. _TRUE_CLASS_PROBABILITY_SUM)
// are 0; the gradient norms are always computed.
int tlf_step(tlf_mlp* mlp, void* const* params, void* const* momentum, const void* x, const int64_t* labels,
             int64_t batch, const tlf_sgd* sgd, int statistics, double* out);
// The same pass without an update: gradients[i] (caller memory shaped like parameter i) receives the gradient of
// the batch-mean loss; out as for tlf_step with statistics.
int tlf_gradients(tlf_mlp* mlp, const void* const* params, const void* x, const int64_t* labels, int64_t batch,
                  void* const* gradients, double* out);
// Forward and head only: out[0] the summed loss, out[1] the correct predictions.
int tlf_evaluate(tlf_mlp* mlp, const void* const* params, const void* x, const int64_t* labels, int64_t batch,
                 double* out);

// The step statistics of a step taken elsewhere (e.g. by autograd), from its tensors' memory, by the rules of
// tlf_step's: out receives TLF_OUT_CORRECT .. TLF_OUT_WRONG_SATURATED (out[TLF_OUT_LOSS_SUM] is left untouched), then
// the L2 norm of each of the n_gradients gradients (a NULL gradient counts 0). Tensors are row-major of dtype;
// [batch, classes] ones with classes == 1 are a binary task (class 1's probability).
//  - With a head, the probabilities and predictions come from logits by the head's rules (as in tlf_step);
//    without one, from probabilities (NULL: no saturation or true-class statistics) and predicted (int64 [batch]).
//  - output_gradient: the row norms are summed as given; NULL leaves only the correct count.
int tlf_statistics(int dtype, int64_t batch, int64_t classes, const tlf_head* head, const void* logits,
                   const void* probabilities, const int64_t* predicted, const void* output_gradient,
                   const int64_t* labels, int n_gradients, const void* const* gradients,
                   const int64_t* gradient_lengths, double* out);

#ifdef __cplusplus
}
#endif
