using System.Runtime.InteropServices;
using TorchLoss.Fused.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLoss.Fused;

/// <summary>
/// One SGD training step of a stack of linear layers with one hidden activation, done natively without autograd:
/// the forward pass, the head's hand-derived dL/dz, backpropagation, the step statistics and the update, over the
/// memory of the model's own parameter tensors, split over the engine's own threads (each calling libtorch's BLAS
/// single-threaded on its own block of work). CPU only, float32 or float64. Its gradients equal autograd's up to
/// rounding. Keep libtorch's intra-op threads at 1 (<c>torch.set_num_threads(1)</c>) while it runs, so that two thread
/// pools do not compete for the cores. Not for concurrent use from several threads (calls are serialised).
/// </summary>
public sealed class FusedMlp : IDisposable
{
    /// <summary>Index of the summed per-example loss in a step's output.</summary>
    public const int LossSum = 0;
    /// <summary>Index of the number of correct predictions.</summary>
    public const int Correct = 1;
    /// <summary>Index of the summed per-example L2 norm of dL/dz (the loss's gradient with respect to the logits).</summary>
    public const int OutputGradientNormSum = 2;
    /// <summary>Index of the number of outputs whose probability is within 0.01 of 0 or 1.</summary>
    public const int Saturated = 3;
    /// <summary>Index of the summed probability of the true class.</summary>
    public const int TrueClassProbabilitySum = 4;
    /// <summary>Index of the saturated outputs that are wrong: the true class's probability near 0, another class's near 1.</summary>
    public const int WrongSaturated = 5;
    /// <summary>Number of values before the gradient norms (one per parameter: weight0, bias0, weight1, ...).</summary>
    public const int Fixed = 6;

    readonly FusedMlpHandle handle;
    readonly FusedLayout layout;
    readonly object gate = new();

    FusedMlp(FusedMlpHandle handle, FusedLayout layout, int threads, bool usesBlas)
    {
        this.handle = handle;
        this.layout = layout;
        Threads = threads;
        UsesBlas = usesBlas;
    }

    /// <summary>Number of values <see cref="Step"/> and <see cref="Gradients"/> write: <see cref="Fixed"/> plus one gradient
    /// L2 norm per parameter.</summary>
    public int OutputLength => Fixed + layout.ParameterCount;

    /// <summary>The threads a step runs on, the calling thread included.</summary>
    public int Threads { get; }

    /// <summary>The hidden activation the model uses.</summary>
    public FusedActivation Activation => layout.Activation;

    /// <summary>True when the matrix products go through libtorch's BLAS, false when through plain loops (where libtorch
    /// exports none).</summary>
    public bool UsesBlas { get; }

    /// <summary>Why <paramref name="model"/> cannot run fused, or null when it can: linear layers with biases alternating with
    /// one kind of activation (Sigmoid, Tanh or ReLU), ending with a linear layer, all parameters contiguous CPU tensors of
    /// float32 or all of float64.</summary>
    public static string? Unsupported(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        FusedLayout.Describe(model, out var reason);
        return reason;
    }

    /// <summary>Builds the step for <paramref name="model"/> (see <see cref="Unsupported"/>) and <paramref name="head"/>, running
    /// on <paramref name="threads"/> threads; results are deterministic for a given thread count.</summary>
    public static FusedMlp Create(Sequential model, FusedHead head, int threads) => Create(model, head, threads, useBlas: true);

    /// <summary>As the public Create; without <paramref name="useBlas"/> the matrix products run as plain loops.</summary>
    internal static FusedMlp Create(Sequential model, FusedHead head, int threads, bool useBlas) =>
        Create(model, head, threads, useBlas ? TorchBlas.Current : default);

    /// <summary>As the public Create, with the BLAS given (entries 0: plain loops), for comparing BLAS builds.</summary>
    internal static unsafe FusedMlp Create(Sequential model, FusedHead head, int threads, BlasTable blas)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 1024);
        var layout = FusedLayout.Describe(model, out var reason) ?? throw new NotSupportedException(reason);
        var outputs = layout.Widths[^1];
        if (head.Loss is FusedLoss.SoftmaxCrossEntropy or FusedLoss.SoftmaxSquaredError && outputs < 2)
            throw new ArgumentException("softmax heads need at least 2 outputs", nameof(head));
        if (!Enum.IsDefined(head.Loss)) throw new ArgumentException($"unknown loss {head.Loss}", nameof(head));
        if (!double.IsFinite(head.SquaredErrorScale) || !double.IsFinite(head.TrueClassWeight) || !double.IsFinite(head.TrueClassTarget))
            throw new ArgumentException("the head's scale, weight and target must be finite", nameof(head));
        if (head.Loss == FusedLoss.LogitSquaredError && head.TrueClassTarget == 0)
            throw new ArgumentException("the logit square loss needs a target M other than 0", nameof(head));

        var settings = HeadSettings.Of(head);
        var dtype = layout.DType == ScalarType.Float32 ? NativeMethods.Float32 : NativeMethods.Float64;
        nint created;
        fixed (long* widths = layout.Widths)
            created = NativeMethods.tlf_create(dtype, layout.Layers.Length, widths, (int)layout.Activation, &settings, threads, &blas);
        if (created == 0) throw new InvalidOperationException($"the fused step could not be created: {NativeMethods.LastError()}");
        var usesBlas = layout.DType == ScalarType.Float32 ? blas.Sgemm != 0 : blas.Dgemm != 0;
        return new FusedMlp(new FusedMlpHandle(created), layout, threads, usesBlas);
    }

    /// <summary>
    /// One step on batch <paramref name="x"/> [batch, inputs] (the model's dtype) with int64 <paramref name="labels"/> [batch]
    /// (class indices, or 0/1 for a single output): updates the model's parameters in place. <paramref name="momentum"/>
    /// holds one buffer per parameter, shaped like it, exactly when <paramref name="sgd"/> has a momentum (else null), and is
    /// updated in place; <paramref name="freshMomentum"/> starts the buffers as this step's gradient, as PyTorch's first step
    /// does. Writes <see cref="OutputLength"/> values into <paramref name="output"/>; without <paramref name="statistics"/> the
    /// per-example diagnostics (<see cref="OutputGradientNormSum"/> to <see cref="TrueClassProbabilitySum"/>) are 0.
    /// </summary>
    public unsafe void Step(Tensor x, Tensor labels, IReadOnlyList<Tensor>? momentum, bool freshMomentum, FusedSgd sgd, bool statistics,
        Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(sgd);
        if (sgd.Invalid() is { } invalid) throw new ArgumentException(invalid, nameof(sgd));
        if ((sgd.Momentum != 0) != (momentum is not null))
            throw new ArgumentException("momentum buffers are needed exactly when the momentum is not 0", nameof(momentum));
        CheckOutput(output);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            var parameters = CurrentParameters();
            var batch = CheckBatch(x, labels);
            var buffers = momentum is null ? null : MomentumPointers(momentum);
            var settings = new SgdSettings
            {
                LearningRate = sgd.LearningRate, Momentum = sgd.Momentum, Dampening = sgd.Dampening, WeightDecay = sgd.WeightDecay,
                Nesterov = sgd.Nesterov ? 1 : 0, FreshMomentum = freshMomentum ? 1 : 0,
            };
            fixed (nint* p = parameters.Pointers)
            fixed (nint* m = buffers)
            fixed (double* o = output)
                NativeMethods.Check(NativeMethods.tlf_step(handle, p, m, TensorMemory.Pointer(x), TensorMemory.Pointer(labels), batch,
                    &settings, statistics ? 1 : 0, o));
            GC.KeepAlive(parameters.Tensors);
            GC.KeepAlive(momentum);
        }
    }

    /// <summary>The gradients of the batch-mean loss for every parameter (weight0, bias0, ...; new tensors), without updating
    /// anything; the statistics go into <paramref name="output"/> as for <see cref="Step"/>.</summary>
    public unsafe Tensor[] Gradients(Tensor x, Tensor labels, Span<double> output)
    {
        CheckOutput(output);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            var parameters = CurrentParameters();
            var batch = CheckBatch(x, labels);
            var gradients = new Tensor[layout.ParameterCount];
            try
            {
                for (var i = 0; i < gradients.Length; i++)
                    gradients[i] = torch.empty(layout.ParameterShape(i), layout.DType);
                var destinations = gradients.Select(TensorMemory.Pointer).ToArray();
                fixed (nint* p = parameters.Pointers)
                fixed (nint* g = destinations)
                fixed (double* o = output)
                    NativeMethods.Check(NativeMethods.tlf_gradients(handle, p, TensorMemory.Pointer(x), TensorMemory.Pointer(labels), batch, g, o));
            }
            catch
            {
                foreach (var g in gradients) g?.Dispose();
                throw;
            }
            GC.KeepAlive(parameters.Tensors);
            return gradients;
        }
    }

    /// <summary>The forward pass and the head only: the summed loss and the number of correct predictions on a batch.</summary>
    public unsafe (double LossSum, double Correct) Evaluate(Tensor x, Tensor labels)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            var parameters = CurrentParameters();
            var batch = CheckBatch(x, labels);
            var output = stackalloc double[2];
            fixed (nint* p = parameters.Pointers)
                NativeMethods.Check(NativeMethods.tlf_evaluate(handle, p, TensorMemory.Pointer(x), TensorMemory.Pointer(labels), batch, output));
            GC.KeepAlive(parameters.Tensors);
            return (output[0], output[1]);
        }
    }

    /// <summary>Frees the native step; the model is untouched.</summary>
    public void Dispose() => handle.Dispose();

    void CheckOutput(Span<double> output)
    {
        if (output.Length < OutputLength) throw new ArgumentException($"output needs {OutputLength} values, got {output.Length}", nameof(output));
    }

    // The model's current parameter tensors, which must keep the layout the step was built for.
    (Tensor[] Tensors, nint[] Pointers) CurrentParameters()
    {
        var tensors = new Tensor[layout.ParameterCount];
        var pointers = new nint[tensors.Length];
        for (var i = 0; i < tensors.Length; i++)
        {
            var t = layout.Parameter(i);
            if (TensorMemory.Mismatch(t, layout.DType, layout.ParameterShape(i)) is { } mismatch)
                throw new InvalidOperationException(
                    $"{layout.ParameterName(i)} no longer matches the fused step's layout ({layout.DType} {TensorMemory.Shape(layout.ParameterShape(i))}, " +
                    $"contiguous on the CPU): it is {mismatch}");
            tensors[i] = t!;
            pointers[i] = TensorMemory.Pointer(t!);
        }
        return (tensors, pointers);
    }

    // Checks x and labels against the layout and the label range; returns the batch size.
    long CheckBatch(Tensor x, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        var inputs = layout.Widths[0];
        if (TensorMemory.Mismatch(x, layout.DType, null) is { } xMismatch) throw new ArgumentException($"the input batch is {xMismatch}", nameof(x));
        if (x.shape.Length != 2 || x.shape[1] != inputs)
            throw new ArgumentException($"the input batch must be [batch, {inputs}], got {TensorMemory.Shape(x.shape)}", nameof(x));
        var batch = x.shape[0];
        if (batch == 0) throw new ArgumentException("empty batch", nameof(x));
        if (batch > int.MaxValue / Math.Max(inputs, layout.Widths.Max())) throw new ArgumentException($"batch of {batch} too large", nameof(x));
        if (TensorMemory.Mismatch(labels, ScalarType.Int64, [batch]) is { } yMismatch)
            throw new ArgumentException($"the labels must be Int64 [{batch}], contiguous on the CPU: they are {yMismatch}", nameof(labels));
        var limit = layout.Widths[^1] == 1 ? 2 : layout.Widths[^1];
        foreach (var label in MemoryMarshal.Cast<byte, long>(labels.bytes))
            if (label < 0 || label >= limit) throw new ArgumentException($"label {label} is outside [0, {limit})", nameof(labels));
        return batch;
    }

    nint[] MomentumPointers(IReadOnlyList<Tensor> momentum)
    {
        if (momentum.Count != layout.ParameterCount)
            throw new ArgumentException($"one momentum buffer per parameter is needed: {layout.ParameterCount}, got {momentum.Count}", nameof(momentum));
        var pointers = new nint[momentum.Count];
        for (var i = 0; i < pointers.Length; i++)
        {
            if (TensorMemory.Mismatch(momentum[i], layout.DType, layout.ParameterShape(i)) is { } mismatch)
                throw new ArgumentException($"the momentum buffer of {layout.ParameterName(i)} must be like it: it is {mismatch}", nameof(momentum));
            pointers[i] = TensorMemory.Pointer(momentum[i]);
        }
        return pointers;
    }
}
