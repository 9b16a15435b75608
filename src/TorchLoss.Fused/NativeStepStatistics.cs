using TorchLoss.Fused.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Fused;

/// <summary>
/// The step statistics of a step taken by TorchSharp's autograd, read from its CPU tensors' memory in one native call,
/// by the fused step's own rules: correct predictions, the summed row norms of the output gradient, saturated and
/// wrongly saturated outputs, the summed true-class probability, and each gradient's L2 norm, accumulated in double.
/// A few dozen dispatched tensor ops per step become one call. The values land at <see cref="FusedMlp"/>'s output
/// positions (<see cref="FusedMlp.Correct"/> .. <see cref="FusedMlp.WrongSaturated"/>, then the gradient norms from
/// <see cref="FusedMlp.Fixed"/>); the loss sum at <see cref="FusedMlp.LossSum"/> is left to the caller.
/// Tensors that are not contiguous are copied (into the caller's dispose scope).
/// </summary>
public static class NativeStepStatistics
{
    /// <summary>Whether tensors on <paramref name="device"/> of <paramref name="dtype"/> can be read: CPU float32 or float64.</summary>
    public static bool Supports(Device device, ScalarType dtype) =>
        device.type == DeviceType.CPU && dtype is ScalarType.Float32 or ScalarType.Float64;

    /// <summary>For a built-in head: its probabilities and predictions come from <paramref name="logits"/> [batch, classes]
    /// by the fused step's rules. A null <paramref name="outputGradient"/> (dL/dz, shaped like the logits) leaves only
    /// the correct count.</summary>
    public static unsafe void Compute(FusedHead head, Tensor logits, Tensor? outputGradient, Tensor labels, IReadOnlyList<Tensor?> gradients,
        Span<double> output)
    {
        var settings = HeadSettings.Of(head);
        Compute(&settings, logits, null, null, outputGradient, labels, gradients, output);
    }

    /// <summary>For any head: its <paramref name="probabilities"/> (or null: no saturation or true-class statistics) and
    /// int64 <paramref name="predicted"/> classes, as the head computed them.</summary>
    public static unsafe void ComputeFromProbabilities(Tensor? probabilities, Tensor predicted, Tensor? outputGradient, Tensor labels, IReadOnlyList<Tensor?> gradients,
        Span<double> output) =>
        Compute(null, outputGradient ?? probabilities, probabilities, predicted, outputGradient, labels, gradients, output);

    static unsafe void Compute(HeadSettings* head, Tensor? shaped, Tensor? probabilities, Tensor? predicted, Tensor? outputGradient, Tensor labels,
        IReadOnlyList<Tensor?> gradients, Span<double> output)
    {
        if (output.Length < FusedMlp.Fixed + gradients.Count)
            throw new ArgumentException($"expected room for {FusedMlp.Fixed + gradients.Count} values, got {output.Length}", nameof(output));
        var batch = labels.size(0);
        var classes = shaped?.size(1) ?? 1;
        var dtype = shaped?.dtype ?? gradients.FirstOrDefault(g => g is not null)?.dtype ?? ScalarType.Float32;
        long[] rows = [batch, classes];
        var pointers = new nint[gradients.Count];
        var lengths = new long[gradients.Count];
        for (var i = 0; i < gradients.Count; i++)
        {
            if (gradients[i] is not { } g) continue;
            var memory = Readable(g, dtype, null, $"gradient {i}");
            pointers[i] = TensorMemory.Pointer(memory);
            lengths[i] = memory.numel();
        }
        var logits = head is null ? 0 : Address(shaped, dtype, rows, "logits");
        fixed (nint* gradientPointers = pointers)
        fixed (long* gradientLengths = lengths)
        fixed (double* values = output)
            NativeMethods.Check(NativeMethods.tlf_statistics(dtype == ScalarType.Float64 ? NativeMethods.Float64 : NativeMethods.Float32, batch,
                classes, head, logits, Address(probabilities, dtype, rows, nameof(probabilities)),
                Address(predicted, ScalarType.Int64, [batch], nameof(predicted)), Address(outputGradient, dtype, rows, nameof(outputGradient)),
                Address(labels, ScalarType.Int64, [batch], nameof(labels)), gradients.Count, gradientPointers, gradientLengths, values));
    }

    static nint Address(Tensor? t, ScalarType dtype, long[] shape, string what) =>
        t is null ? 0 : TensorMemory.Pointer(Readable(t, dtype, shape, what));

    static Tensor Readable(Tensor t, ScalarType dtype, long[]? shape, string what)
    {
        var problem = TensorMemory.Mismatch(t, dtype, shape);
        if (problem == "not contiguous") return t.contiguous();
        if (problem is not null) throw new ArgumentException($"{what}: {problem}");
        return t;
    }
}
