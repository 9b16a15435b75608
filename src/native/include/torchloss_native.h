// C ABI of the TorchLoss shim over libtorch.
//
// Conventions:
//  - A tensor handle is an owned heap-allocated at::Tensor; free it with tl_free exactly once.
//  - Functions returning a handle return NULL on error; functions returning int return 0 on success
//    and -1 on error. After an error, tl_last_error() holds libtorch's message (thread-local).
//  - No C++ exception ever crosses this boundary.
#pragma once
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void* tl_tensor;

// dtype codes (mirrored by TorchLoss.Torch.DType)
enum { TL_FLOAT32 = 0, TL_FLOAT64 = 1, TL_INT64 = 2, TL_UINT8 = 3, TL_BOOL = 4, TL_INT32 = 5 };
// device type codes (mirrored by TorchLoss.Torch.DeviceType)
enum { TL_CPU = 0, TL_CUDA = 1 };

// ---- errors and runtime -------------------------------------------------------------------------
const char* tl_last_error(void);
const char* tl_torch_version(void);
int tl_cuda_is_available(void);
int tl_cuda_device_count(void);
int tl_cuda_synchronize(int device_index);
int tl_manual_seed(uint64_t seed);
int tl_get_num_threads(void);
int tl_set_num_threads(int n);
int tl_get_blas_threads(void);   // -1 when the BLAS offers no control
int tl_set_blas_threads(int n);  // -1 when the BLAS offers no control
const char* tl_blas_name(void);
int tl_is_grad_enabled(void);
void tl_set_grad_enabled(int enabled);

// ---- lifetime and metadata ------------------------------------------------------------------------
void tl_free(tl_tensor t);
int tl_dim(tl_tensor t, int64_t* out);
int tl_shape(tl_tensor t, int64_t* out, int capacity);
int tl_numel(tl_tensor t, int64_t* out);
int tl_dtype(tl_tensor t, int* out);
int tl_device(tl_tensor t, int* type, int* index);
int tl_requires_grad(tl_tensor t, int* out);
int tl_is_leaf(tl_tensor t, int* out);
int tl_item_double(tl_tensor t, double* out);
int tl_item_int64(tl_tensor t, int64_t* out);
int tl_copy_to_buffer(tl_tensor t, void* dst, int64_t nbytes);   // t converted to contiguous CPU first

// ---- creation ---------------------------------------------------------------------------------------
tl_tensor tl_empty(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index);
tl_tensor tl_zeros(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index);
tl_tensor tl_ones(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index);
tl_tensor tl_full(const int64_t* shape, int ndim, double value, int dtype, int dev_type, int dev_index);
tl_tensor tl_arange(double start, double end, double step, int dtype, int dev_type, int dev_index);
tl_tensor tl_rand(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index);
tl_tensor tl_randn(const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index);
tl_tensor tl_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index);
tl_tensor tl_randperm(int64_t n, int dev_type, int dev_index);
tl_tensor tl_from_buffer(const void* data, const int64_t* shape, int ndim, int dtype);  // copies
tl_tensor tl_scalar_tensor(double value, int dtype, int dev_type, int dev_index);

// ---- conversion -------------------------------------------------------------------------------------
tl_tensor tl_to_device(tl_tensor t, int dev_type, int dev_index, int non_blocking);
tl_tensor tl_to_dtype(tl_tensor t, int dtype);
tl_tensor tl_clone(tl_tensor t);
tl_tensor tl_detach(tl_tensor t);
tl_tensor tl_contiguous(tl_tensor t);
tl_tensor tl_alias(tl_tensor t);   // a second handle to the same tensor

// ---- elementwise ------------------------------------------------------------------------------------
enum {
  TL_NEG = 0, TL_EXP, TL_LOG, TL_SQRT, TL_ABS, TL_SIGMOID, TL_TANH, TL_RELU, TL_SQUARE, TL_RECIPROCAL,
  TL_LOG1P, TL_SIGN, TL_FLOOR, TL_CEIL, TL_ROUND, TL_ISNAN, TL_ISINF, TL_LOGICAL_NOT, TL_RSQRT, TL_ISFINITE
};
enum {
  TL_ADD = 0, TL_SUB, TL_MUL, TL_DIV, TL_POW, TL_EQ, TL_NE, TL_LT, TL_LE, TL_GT, TL_GE, TL_MAXIMUM,
  TL_MINIMUM, TL_MATMUL, TL_LOGICAL_AND, TL_LOGICAL_OR, TL_RSUB, TL_RDIV, TL_RPOW
};
tl_tensor tl_unary(int op, tl_tensor t);
tl_tensor tl_binary(int op, tl_tensor a, tl_tensor b);
tl_tensor tl_binary_scalar(int op, tl_tensor a, double s, int s_is_int);   // TL_RSUB etc: s op a
int tl_unary_(int op, tl_tensor t);
int tl_binary_(int op, tl_tensor t, tl_tensor other);            // ADD SUB MUL DIV only
int tl_binary_scalar_(int op, tl_tensor t, double s);            // ADD SUB MUL DIV POW only
int tl_add_scaled_(tl_tensor t, tl_tensor other, double alpha);  // t += alpha * other
int tl_addcmul_(tl_tensor t, tl_tensor a, tl_tensor b, double value);
int tl_addcdiv_(tl_tensor t, tl_tensor a, tl_tensor b, double value);
int tl_copy_(tl_tensor t, tl_tensor src);
int tl_zero_(tl_tensor t);
int tl_fill_(tl_tensor t, double value);
int tl_uniform_(tl_tensor t, double low, double high);
int tl_normal_(tl_tensor t, double mean, double std);
tl_tensor tl_clamp(tl_tensor t, double min, double max, int has_min, int has_max);
int tl_clamp_(tl_tensor t, double min, double max, int has_min, int has_max);
tl_tensor tl_where(tl_tensor cond, tl_tensor a, tl_tensor b);
tl_tensor tl_addmm(tl_tensor bias, tl_tensor a, tl_tensor b, double beta, double alpha);
tl_tensor tl_linear(tl_tensor x, tl_tensor w, tl_tensor b);   // b may be NULL
tl_tensor tl_softmax(tl_tensor t, int64_t dim);
tl_tensor tl_log_softmax(tl_tensor t, int64_t dim);

// ---- reductions -------------------------------------------------------------------------------------
// dims == NULL (ndims 0) reduces over all elements.
tl_tensor tl_sum(tl_tensor t, const int64_t* dims, int ndims, int keepdim);
tl_tensor tl_mean(tl_tensor t, const int64_t* dims, int ndims, int keepdim);
tl_tensor tl_norm(tl_tensor t, double p, const int64_t* dims, int ndims, int keepdim);
tl_tensor tl_logsumexp(tl_tensor t, int64_t dim, int keepdim);
tl_tensor tl_max_all(tl_tensor t);
tl_tensor tl_min_all(tl_tensor t);
int tl_max_dim(tl_tensor t, int64_t dim, int keepdim, tl_tensor* values, tl_tensor* indices);
int tl_min_dim(tl_tensor t, int64_t dim, int keepdim, tl_tensor* values, tl_tensor* indices);
tl_tensor tl_argmax(tl_tensor t, int64_t dim, int has_dim, int keepdim);
tl_tensor tl_argmin(tl_tensor t, int64_t dim, int has_dim, int keepdim);
int tl_allclose(tl_tensor a, tl_tensor b, double rtol, double atol, int* out);

// ---- shape and indexing -----------------------------------------------------------------------------
tl_tensor tl_view(tl_tensor t, const int64_t* shape, int ndim);
tl_tensor tl_reshape(tl_tensor t, const int64_t* shape, int ndim);
tl_tensor tl_transpose(tl_tensor t, int64_t d0, int64_t d1);
tl_tensor tl_permute(tl_tensor t, const int64_t* dims, int ndim);
tl_tensor tl_narrow(tl_tensor t, int64_t dim, int64_t start, int64_t length);
tl_tensor tl_slice(tl_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step);
tl_tensor tl_select(tl_tensor t, int64_t dim, int64_t index);
tl_tensor tl_index_select(tl_tensor t, int64_t dim, tl_tensor index);
tl_tensor tl_gather(tl_tensor t, int64_t dim, tl_tensor index);
tl_tensor tl_cat(const tl_tensor* ts, int n, int64_t dim);
tl_tensor tl_stack(const tl_tensor* ts, int n, int64_t dim);
tl_tensor tl_squeeze(tl_tensor t, int64_t dim, int has_dim);
tl_tensor tl_unsqueeze(tl_tensor t, int64_t dim);
tl_tensor tl_expand(tl_tensor t, const int64_t* shape, int ndim);
tl_tensor tl_flatten(tl_tensor t, int64_t start, int64_t end);
tl_tensor tl_one_hot(tl_tensor t, int64_t num_classes);

// ---- autograd ---------------------------------------------------------------------------------------
int tl_set_requires_grad(tl_tensor t, int requires);
int tl_grad(tl_tensor t, tl_tensor* out);     // *out = NULL when no gradient is stored
int tl_set_grad(tl_tensor t, tl_tensor g);    // g == NULL clears the gradient
int tl_retain_grad(tl_tensor t);
// L2 norms of the stored gradients of params[0..n) as one 1-D tensor (0 where a parameter has no gradient).
tl_tensor tl_grad_norms(const tl_tensor* params, int n);
int tl_backward(tl_tensor t, tl_tensor gradient, int retain_graph, int create_graph);   // gradient may be NULL
// outputs[i] with grad_outputs[i] (entries may be NULL); results[j] = NULL for unused inputs when allowed.
int tl_autograd_grad(const tl_tensor* outputs, const tl_tensor* grad_outputs, int n_outputs,
                     const tl_tensor* inputs, int n_inputs, int retain_graph, int create_graph,
                     int allow_unused, tl_tensor* results);

// ---- fused MLP training step (CPU) ----------------------------------------------------------------
// Forward, the head's hand-derived dL/dz, backpropagation, step statistics and an SGD update in one call,
// without autograd, for a stack of linear layers with one hidden activation. The handle keeps the layout and
// its own work buffers; each step takes the parameters, which it updates in place.
enum { TL_ACTIVATION_IDENTITY = 0, TL_ACTIVATION_SIGMOID, TL_ACTIVATION_TANH, TL_ACTIVATION_RELU };
enum { TL_HEAD_SOFTMAX_CE = 0, TL_HEAD_SOFTMAX_MSE, TL_HEAD_SIGMOID_MSE, TL_HEAD_SIGMOID_BCE, TL_HEAD_LOGIT_MSE };
typedef void* tl_fused_mlp;
// params: weight0, bias0, weight1, bias1, ... (contiguous CPU float32 or float64).
tl_fused_mlp tl_fused_mlp_create(const tl_tensor* params, int n_params, int hidden_activation, int head,
                                 double squared_error_scale, double true_class_weight, double true_class_target);
// params as for create; x [batch, in], labels int64 [batch]. momentum: one buffer per parameter, or NULL without momentum.
// sgd: learning rate, momentum, dampening, weight decay, nesterov (0/1), fresh momentum (0/1: buffers start as
// the first gradient). out receives 5 + n_params values: summed loss, correct predictions, summed per-example
// norm of dL/dz, saturated outputs, summed true-class probability, then each parameter's gradient L2 norm;
// with statistics == 0 the three per-example diagnostics are skipped (left 0); the norms are always computed.
int tl_fused_mlp_step(tl_fused_mlp mlp, const tl_tensor* params, int n_params, tl_tensor x, tl_tensor labels,
                      const tl_tensor* momentum,
                      const double* sgd, int statistics, double* out);
// The same step without the update: writes each parameter's gradient of the batch-mean loss into gradients[i]
// (new tensors) and the statistics into out, as tl_fused_mlp_step does.
int tl_fused_mlp_gradients(tl_fused_mlp mlp, const tl_tensor* params, int n_params, tl_tensor x, tl_tensor labels,
                           tl_tensor* gradients, double* out);
// The forward pass and the head only, for scoring: out[0] the summed loss, out[1] the correct predictions.
int tl_fused_mlp_evaluate(tl_fused_mlp mlp, const tl_tensor* params, int n_params, tl_tensor x, tl_tensor labels, double* out);
void tl_fused_mlp_free(tl_fused_mlp mlp);

#ifdef __cplusplus
}
#endif
