using TorchLoss.Torch.Native;
using TorchLoss.Torch.NN;

namespace TorchLoss.Torch.Fused;

/// <summary>
/// One SGD training step of a stack of linear layers with one hidden activation, done natively without autograd:
/// the forward pass, the head's hand-derived dL/dz, backpropagation, the step statistics and the update, split
/// over libtorch's intra-op threads (each calling a single-threaded BLAS on its own block of work). CPU only,
/// float32 or float64. Its gradients equal autograd's up to rounding; the tests hold it to that.
/// </summary>
public sealed class FusedMlp : IDisposable
{
    /// <summary>Values the step reports, in order, before one gradient norm per parameter.</summary>
    public const int LossSum = 0, Correct = 1, OutputGradientNormSum = 2, Saturated = 3, TrueClassProbabilitySum = 4, Fixed = 5;

    readonly FusedMlpHandle handle;
    // Read at every step: loading a checkpoint may replace a model's parameter tensors.
    readonly Func<IReadOnlyList<Tensor>> parameters;
    readonly int parameterCount;

    FusedMlp(FusedMlpHandle handle, Func<IReadOnlyList<Tensor>> parameters, int parameterCount)
    {
        this.handle = handle;
        this.parameters = parameters;
        this.parameterCount = parameterCount;
    }

    /// <summary>Number of values <see cref="Step"/> writes: <see cref="Fixed"/> plus one norm per parameter.</summary>
    public int OutputLength => Fixed + parameterCount;

    /// <summary>Why <paramref name="model"/> cannot run fused, or null when it can.</summary>
    public static string? Unsupported(Sequential model)
    {
        if (Describe(model, out _, out var reason) is null) return reason;
        var p = model.Parameters();
        if (p.Any(t => t.Device.IsCuda)) return "the fused step runs on the CPU only";
        if (p[0].DType is not (DType.Float32 or DType.Float64) || p.Any(t => t.DType != p[0].DType))
            return "the fused step needs all parameters in float32 or all in float64";
        return null;
    }

    /// <summary>Builds the step for <paramref name="model"/> (see <see cref="Unsupported"/>) and <paramref name="head"/>.</summary>
    public static FusedMlp Create(Sequential model, FusedHead head)
    {
        if (Unsupported(model) is { } reason) throw new NotSupportedException(reason);
        Describe(model, out var activation, out _);
        return Create(model.Parameters, activation, head);
    }

    /// <summary>Builds the step for raw layers: <paramref name="parameters"/> holds weight [out, in] and bias [out] pairs,
    /// with <paramref name="activation"/> between consecutive layers.</summary>
    public static FusedMlp Create(IReadOnlyList<Tensor> parameters, FusedActivation activation, FusedHead head) =>
        Create(() => parameters, activation, head);

    static unsafe FusedMlp Create(Func<IReadOnlyList<Tensor>> parameters, FusedActivation activation, FusedHead head)
    {
        var current = parameters();
        using var pinned = new PinnedHandles(current);
        fixed (nint* p = pinned.Pointers)
        {
            var h = NativeMethods.tl_fused_mlp_create(p, current.Count, (int)activation, (int)head.Loss, head.SquaredErrorScale,
                head.TrueClassWeight, head.TrueClassTarget);
            if (h == 0) throw new TorchException(NativeCall.LastError());
            return new FusedMlp(new FusedMlpHandle(h), parameters, current.Count);
        }
    }

    /// <summary>
    /// One step on batch <paramref name="x"/> with int64 <paramref name="labels"/>. <paramref name="momentum"/> holds one buffer
    /// per parameter (null without momentum); <paramref name="freshMomentum"/> starts them as the first gradient, as PyTorch does.
    /// Writes <see cref="OutputLength"/> values into <paramref name="output"/>; without <paramref name="statistics"/> only the
    /// loss sum and the correct count are computed.
    /// </summary>
    public unsafe void Step(Tensor x, Tensor labels, IReadOnlyList<Tensor>? momentum, bool freshMomentum, FusedSgd sgd, bool statistics,
        Span<double> output)
    {
        if (output.Length < OutputLength) throw new ArgumentException($"output needs {OutputLength} values", nameof(output));
        var current = parameters();
        if (momentum is not null && momentum.Count != current.Count)
            throw new ArgumentException("one momentum buffer per parameter is needed", nameof(momentum));
        using var pinnedParameters = new PinnedHandles(current);
        using var pinnedMomentum = momentum is null ? null : new PinnedHandles(momentum);
        var settings = stackalloc double[]
        {
            sgd.LearningRate, sgd.Momentum, sgd.Dampening, sgd.WeightDecay, sgd.Nesterov ? 1 : 0, freshMomentum ? 1 : 0,
        };
        fixed (nint* p = pinnedParameters.Pointers)
        fixed (nint* m = pinnedMomentum?.Pointers)
        fixed (double* o = output)
            NativeCall.Check(NativeMethods.tl_fused_mlp_step(handle, p, current.Count, x.Handle, labels.Handle,
                momentum is null ? null : m, settings, statistics ? 1 : 0, o));
    }

    /// <summary>The step's gradients of the batch-mean loss for every parameter, without updating anything; the statistics
    /// go into <paramref name="output"/> as for <see cref="Step"/>.</summary>
    public unsafe Tensor[] Gradients(Tensor x, Tensor labels, Span<double> output)
    {
        if (output.Length < OutputLength) throw new ArgumentException($"output needs {OutputLength} values", nameof(output));
        var current = parameters();
        using var pinned = new PinnedHandles(current);
        var results = new nint[current.Count];
        fixed (nint* p = pinned.Pointers)
        fixed (nint* r = results)
        fixed (double* o = output)
            NativeCall.Check(NativeMethods.tl_fused_mlp_gradients(handle, p, current.Count, x.Handle, labels.Handle, r, o));
        return results.Select(NativeCall.Wrap).ToArray();
    }

    /// <summary>The forward pass and the head only: the summed loss and the number of correct predictions on a batch.</summary>
    public unsafe (double LossSum, double Correct) Evaluate(Tensor x, Tensor labels)
    {
        var current = parameters();
        using var pinned = new PinnedHandles(current);
        var output = stackalloc double[2];
        fixed (nint* p = pinned.Pointers)
            NativeCall.Check(NativeMethods.tl_fused_mlp_evaluate(handle, p, current.Count, x.Handle, labels.Handle, output));
        return (output[0], output[1]);
    }

    // Linear (activation Linear)*: one activation type throughout, every Linear with a bias.
    static Sequential? Describe(Sequential model, out FusedActivation activation, out string? reason)
    {
        activation = FusedActivation.Identity;
        reason = null;
        var layers = model.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            var expectLinear = i % 2 == 0;
            if (expectLinear)
            {
                if (layers[i] is not Linear { HasBias: true })
                {
                    reason = $"the fused step needs linear layers with biases, found {layers[i]}";
                    return null;
                }
                continue;
            }
            var a = layers[i] switch
            {
                Sigmoid => FusedActivation.Sigmoid,
                Tanh => FusedActivation.Tanh,
                ReLU => FusedActivation.ReLU,
                _ => (FusedActivation?)null,
            };
            if (a is null || (activation != FusedActivation.Identity && a != activation))
            {
                reason = $"the fused step needs one sigmoid, tanh or relu activation between linear layers, found {layers[i]}";
                return null;
            }
            activation = a.Value;
        }
        if (layers.Count == 0 || layers.Count % 2 == 0)
        {
            reason = "the fused step needs a model that ends with a linear layer";
            return null;
        }
        return model;
    }

    public void Dispose() => handle.Dispose();
}
