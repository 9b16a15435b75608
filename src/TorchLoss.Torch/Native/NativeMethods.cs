using System.Runtime.InteropServices;

namespace TorchLoss.Torch.Native;

/// <summary>P/Invoke declarations mirroring src/native/include/torchloss_native.h one to one.
/// Handles returned as nint are owned by the caller; 0 (or a status of -1) means tl_last_error holds why.</summary>
internal static unsafe partial class NativeMethods
{
    const string Lib = NativeLoader.LibraryName;

    // errors and runtime
    [LibraryImport(Lib)] public static partial nint tl_last_error();
    [LibraryImport(Lib)] public static partial nint tl_torch_version();
    [LibraryImport(Lib)] public static partial int tl_cuda_is_available();
    [LibraryImport(Lib)] public static partial int tl_cuda_device_count();
    [LibraryImport(Lib)] public static partial int tl_cuda_synchronize(int deviceIndex);
    [LibraryImport(Lib)] public static partial int tl_manual_seed(ulong seed);
    [LibraryImport(Lib)] public static partial int tl_get_num_threads();
    [LibraryImport(Lib)] public static partial int tl_set_num_threads(int n);
    [LibraryImport(Lib)] public static partial int tl_get_blas_threads();
    [LibraryImport(Lib)] public static partial int tl_set_blas_threads(int n);
    [LibraryImport(Lib)] public static partial nint tl_blas_name();
    [LibraryImport(Lib)] public static partial int tl_is_grad_enabled();
    [LibraryImport(Lib)] public static partial void tl_set_grad_enabled(int enabled);

    // lifetime and metadata
    [LibraryImport(Lib)] public static partial void tl_free(nint t);
    [LibraryImport(Lib)] public static partial int tl_dim(TensorHandle t, out long dim);
    [LibraryImport(Lib)] public static partial int tl_shape(TensorHandle t, long* shape, int capacity);
    [LibraryImport(Lib)] public static partial int tl_numel(TensorHandle t, out long numel);
    [LibraryImport(Lib)] public static partial int tl_dtype(TensorHandle t, out int dtype);
    [LibraryImport(Lib)] public static partial int tl_device(TensorHandle t, out int type, out int index);
    [LibraryImport(Lib)] public static partial int tl_requires_grad(TensorHandle t, out int requires);
    [LibraryImport(Lib)] public static partial int tl_is_leaf(TensorHandle t, out int leaf);
    [LibraryImport(Lib)] public static partial int tl_item_double(TensorHandle t, out double value);
    [LibraryImport(Lib)] public static partial int tl_item_int64(TensorHandle t, out long value);
    [LibraryImport(Lib)] public static partial int tl_copy_to_buffer(TensorHandle t, void* dst, long nbytes);

    // creation
    [LibraryImport(Lib)] public static partial nint tl_empty(long* shape, int ndim, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_zeros(long* shape, int ndim, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_ones(long* shape, int ndim, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_full(long* shape, int ndim, double value, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_arange(double start, double end, double step, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_rand(long* shape, int ndim, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_randn(long* shape, int ndim, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_randint(long low, long high, long* shape, int ndim, int dtype, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_randperm(long n, int devType, int devIndex);
    [LibraryImport(Lib)] public static partial nint tl_from_buffer(void* data, long* shape, int ndim, int dtype);
    [LibraryImport(Lib)] public static partial nint tl_scalar_tensor(double value, int dtype, int devType, int devIndex);

    // conversion
    [LibraryImport(Lib)] public static partial nint tl_to_device(TensorHandle t, int devType, int devIndex, int nonBlocking);
    [LibraryImport(Lib)] public static partial nint tl_to_dtype(TensorHandle t, int dtype);
    [LibraryImport(Lib)] public static partial nint tl_clone(TensorHandle t);
    [LibraryImport(Lib)] public static partial nint tl_detach(TensorHandle t);
    [LibraryImport(Lib)] public static partial nint tl_contiguous(TensorHandle t);
    [LibraryImport(Lib)] public static partial nint tl_alias(TensorHandle t);

    // elementwise
    [LibraryImport(Lib)] public static partial nint tl_unary(int op, TensorHandle t);
    [LibraryImport(Lib)] public static partial nint tl_binary(int op, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] public static partial nint tl_binary_scalar(int op, TensorHandle a, double s, int sIsInt);
    [LibraryImport(Lib)] public static partial int tl_unary_(int op, TensorHandle t);
    [LibraryImport(Lib)] public static partial int tl_binary_(int op, TensorHandle t, TensorHandle other);
    [LibraryImport(Lib)] public static partial int tl_binary_scalar_(int op, TensorHandle t, double s);
    [LibraryImport(Lib)] public static partial int tl_add_scaled_(TensorHandle t, TensorHandle other, double alpha);
    [LibraryImport(Lib)] public static partial int tl_addcmul_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] public static partial int tl_addcdiv_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] public static partial int tl_copy_(TensorHandle t, TensorHandle src);
    [LibraryImport(Lib)] public static partial int tl_zero_(TensorHandle t);
    [LibraryImport(Lib)] public static partial int tl_fill_(TensorHandle t, double value);
    [LibraryImport(Lib)] public static partial int tl_uniform_(TensorHandle t, double low, double high);
    [LibraryImport(Lib)] public static partial int tl_normal_(TensorHandle t, double mean, double std);
    [LibraryImport(Lib)] public static partial nint tl_clamp(TensorHandle t, double min, double max, int hasMin, int hasMax);
    [LibraryImport(Lib)] public static partial int tl_clamp_(TensorHandle t, double min, double max, int hasMin, int hasMax);
    [LibraryImport(Lib)] public static partial nint tl_where(TensorHandle cond, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] public static partial nint tl_addmm(TensorHandle bias, TensorHandle a, TensorHandle b, double beta, double alpha);
    [LibraryImport(Lib)] public static partial nint tl_linear(TensorHandle x, TensorHandle w, TensorHandle b);
    [LibraryImport(Lib, EntryPoint = "tl_linear")] public static partial nint tl_linear_nobias(TensorHandle x, TensorHandle w, nint noBias);
    [LibraryImport(Lib)] public static partial nint tl_softmax(TensorHandle t, long dim);
    [LibraryImport(Lib)] public static partial nint tl_log_softmax(TensorHandle t, long dim);

    // reductions
    [LibraryImport(Lib)] public static partial nint tl_sum(TensorHandle t, long* dims, int ndims, int keepdim);
    [LibraryImport(Lib)] public static partial nint tl_mean(TensorHandle t, long* dims, int ndims, int keepdim);
    [LibraryImport(Lib)] public static partial nint tl_norm(TensorHandle t, double p, long* dims, int ndims, int keepdim);
    [LibraryImport(Lib)] public static partial nint tl_logsumexp(TensorHandle t, long dim, int keepdim);
    [LibraryImport(Lib)] public static partial nint tl_max_all(TensorHandle t);
    [LibraryImport(Lib)] public static partial nint tl_min_all(TensorHandle t);
    [LibraryImport(Lib)] public static partial int tl_max_dim(TensorHandle t, long dim, int keepdim, out nint values, out nint indices);
    [LibraryImport(Lib)] public static partial int tl_min_dim(TensorHandle t, long dim, int keepdim, out nint values, out nint indices);
    [LibraryImport(Lib)] public static partial nint tl_argmax(TensorHandle t, long dim, int hasDim, int keepdim);
    [LibraryImport(Lib)] public static partial nint tl_argmin(TensorHandle t, long dim, int hasDim, int keepdim);
    [LibraryImport(Lib)] public static partial int tl_allclose(TensorHandle a, TensorHandle b, double rtol, double atol, out int close);

    // shape and indexing
    [LibraryImport(Lib)] public static partial nint tl_view(TensorHandle t, long* shape, int ndim);
    [LibraryImport(Lib)] public static partial nint tl_reshape(TensorHandle t, long* shape, int ndim);
    [LibraryImport(Lib)] public static partial nint tl_transpose(TensorHandle t, long d0, long d1);
    [LibraryImport(Lib)] public static partial nint tl_permute(TensorHandle t, long* dims, int ndim);
    [LibraryImport(Lib)] public static partial nint tl_narrow(TensorHandle t, long dim, long start, long length);
    [LibraryImport(Lib)] public static partial nint tl_slice(TensorHandle t, long dim, long start, long end, long step);
    [LibraryImport(Lib)] public static partial nint tl_select(TensorHandle t, long dim, long index);
    [LibraryImport(Lib)] public static partial nint tl_index_select(TensorHandle t, long dim, TensorHandle index);
    [LibraryImport(Lib)] public static partial nint tl_gather(TensorHandle t, long dim, TensorHandle index);
    [LibraryImport(Lib)] public static partial nint tl_cat(nint* tensors, int n, long dim);
    [LibraryImport(Lib)] public static partial nint tl_stack(nint* tensors, int n, long dim);
    [LibraryImport(Lib)] public static partial nint tl_squeeze(TensorHandle t, long dim, int hasDim);
    [LibraryImport(Lib)] public static partial nint tl_unsqueeze(TensorHandle t, long dim);
    [LibraryImport(Lib)] public static partial nint tl_expand(TensorHandle t, long* shape, int ndim);
    [LibraryImport(Lib)] public static partial nint tl_flatten(TensorHandle t, long start, long end);
    [LibraryImport(Lib)] public static partial nint tl_one_hot(TensorHandle t, long numClasses);

    // autograd
    [LibraryImport(Lib)] public static partial int tl_set_requires_grad(TensorHandle t, int requires);
    [LibraryImport(Lib)] public static partial int tl_grad(TensorHandle t, out nint grad);
    [LibraryImport(Lib)] public static partial int tl_set_grad(TensorHandle t, TensorHandle grad);
    [LibraryImport(Lib, EntryPoint = "tl_set_grad")] public static partial int tl_clear_grad(TensorHandle t, nint none);
    [LibraryImport(Lib)] public static partial int tl_retain_grad(TensorHandle t);
    [LibraryImport(Lib)] public static partial nint tl_grad_norms(nint* parameters, int n);
    [LibraryImport(Lib)] public static partial int tl_backward(TensorHandle t, TensorHandle gradient, int retainGraph, int createGraph);
    [LibraryImport(Lib, EntryPoint = "tl_backward")] public static partial int tl_backward_scalar(TensorHandle t, nint noGradient, int retainGraph, int createGraph);
    [LibraryImport(Lib)] public static partial int tl_autograd_grad(nint* outputs, nint* gradOutputs, int nOutputs, nint* inputs, int nInputs,
        int retainGraph, int createGraph, int allowUnused, nint* results);

    // fused MLP step
    [LibraryImport(Lib)] public static partial nint tl_fused_mlp_create(nint* parameters, int n, int hiddenActivation, int head,
        double squaredErrorScale, double trueClassWeight, double trueClassTarget);
    [LibraryImport(Lib)] public static partial int tl_fused_mlp_step(FusedMlpHandle mlp, nint* parameters, int n, TensorHandle x, TensorHandle labels,
        nint* momentum, double* sgd, int statistics, double* output);
    [LibraryImport(Lib)] public static partial int tl_fused_mlp_gradients(FusedMlpHandle mlp, nint* parameters, int n, TensorHandle x, TensorHandle labels,
        nint* gradients, double* output);
    [LibraryImport(Lib)] public static partial int tl_fused_mlp_evaluate(FusedMlpHandle mlp, nint* parameters, int n, TensorHandle x, TensorHandle labels,
        double* output);
    [LibraryImport(Lib)] public static partial void tl_fused_mlp_free(nint mlp);
}
