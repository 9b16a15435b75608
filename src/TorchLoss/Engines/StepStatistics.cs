using System.Diagnostics;
using TorchLoss.Fused;
using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Engines;

/// <summary>
/// Per-step diagnostics. On the CPU they are read from the step's tensors in one native call
/// (<see cref="NativeStepStatistics"/>, the fused step's rules) and summed on the host; elsewhere they are accumulated on
/// the training device, a few dozen tensor ops per step and one device-to-host copy per interval. Per step it records:
/// the batch's summed loss and correct predictions; the summed per-example norm of dL/dz at the output; the number of
/// saturated outputs (probability within 0.01 of 0 or 1) and of those on the wrong side (the true class's near 0,
/// another's near 1); the summed true-class probability; and the L2 norm of every parameter's gradient.
/// Sums give interval means; a running maximum gives each gradient norm's maximum over the steps.
/// The fused step computes the same values natively and records them as numbers on the host.
/// </summary>
public sealed class StepStatistics : IDisposable
{
    public const double SaturationMargin = 0.01;

    // Positions in the recorded vector before the gradient norms.
    const int LossSum = 0, Correct = 1, DzNormSum = 2, Saturated = 3, TrueProbabilitySum = 4, WrongSaturated = 5, Fixed = 6;

    readonly IReadOnlyList<string> parameterNames;
    readonly bool full;
    readonly bool nativeOnCpu;
    readonly double[] stepValues;
    Tensor? sums;
    Tensor? maxima;
    double[]? hostSums;
    double[]? hostMaxima;
    long steps, examples, outputs;
    long recordingTicks, timedRecords;

    /// <param name="full">false records only loss and accuracy (to measure what the rest costs).</param>
    /// <param name="nativeOnCpu">false computes every statistic with tensor ops on the CPU too, as on a GPU (the tests
    /// compare the two ways).</param>
    public StepStatistics(IReadOnlyList<string> parameterNames, bool full = true, bool nativeOnCpu = true)
    {
        this.parameterNames = parameterNames;
        this.full = full;
        this.nativeOnCpu = nativeOnCpu;
        stepValues = new double[Fixed + parameterNames.Count];
    }

    public bool Full => full;

    /// <summary>The wall-clock time spent in <see cref="Record(OutputHead, Tensor, Tensor, Tensor, IReadOnlyList{Tensor})"/>
    /// since this object was made (on a GPU: the time to queue the ops), and how many steps it recorded: `bench` reads
    /// them for a direct measure of what the statistics cost, far less noisy than timing whole steps with and without.</summary>
    public TimeSpan RecordingTime => Stopwatch.GetElapsedTime(0, recordingTicks);
    public long TimedRecords => timedRecords;

    /// <summary>Records one step after backward. <paramref name="logits"/> must have retained its gradient.</summary>
    public void Record(OutputHead head, Tensor loss, Tensor logits, Tensor labels, IReadOnlyList<Tensor> parameters)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            RecordTensors(head, loss, logits, labels, parameters);
        }
        finally
        {
            recordingTicks += Stopwatch.GetTimestamp() - start;
            timedRecords++;
        }
    }

    void RecordTensors(OutputHead head, Tensor loss, Tensor logits, Tensor labels, IReadOnlyList<Tensor> parameters)
    {
        if (nativeOnCpu && NativeStepStatistics.Supports(logits.device, logits.dtype))
        {
            RecordNatively(head, loss, logits, labels, parameters);
            return;
        }
        if (hostSums is not null) throw new InvalidOperationException("device and host records cannot be mixed in one interval");
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var batch = logits.size(0);
        var z = logits.detach();
        var dtype = z.dtype;
        // Counts are converted to the logits' dtype so that one stack and one conversion to float64 suffice.
        var values = new List<Tensor>(Fixed + parameters.Count) { loss.detach() * batch, head.Predict(z).eq(labels).sum().to_type(dtype) };
        if (full)
        {
            var targets = OutputHead.Targets(labels, z.size(1), dtype);
            var probabilities = head.Probabilities(z);
            var dz = logits.grad ?? throw new InvalidOperationException("the logits' gradient was not retained");
            // The loss is the batch mean, so each row of dL/dz is an example's own gradient divided by the batch size.
            values.Add(dz.norm(1).sum() * batch);
            values.Add((probabilities < SaturationMargin).logical_or(probabilities > 1 - SaturationMargin).sum().to_type(dtype));
            values.Add(TrueClassProbabilitySum(probabilities, targets));
            values.Add(WrongSaturatedCount(probabilities, targets).to_type(dtype));
            // Each op here pays libtorch's dispatch: the norms stay in the parameters' dtype so that one stack and one
            // conversion serve the whole vector (a parameter without a gradient counts 0).
            foreach (var p in parameters) values.Add(p.grad is { } g ? g.norm() : torch.zeros([], dtype, p.device));
        }
        var vector = torch.stack(values).to_type(ScalarType.Float64);
        if (sums is null)
        {
            sums = vector.clone().DetachFromDisposeScope();
            maxima = vector.clone().DetachFromDisposeScope();
        }
        else
        {
            sums.add_(vector);
            maxima!.copy_(maxima.maximum(vector));
        }
        steps++;
        examples += batch;
        outputs += logits.numel();
    }

    // A built-in head's probabilities and predictions are computed natively too, by the fused step's rules (TorchSharp's
    // softmax alone took 27 us on a [128, 10] batch here); any other head's come from its own methods.
    void RecordNatively(OutputHead head, Tensor loss, Tensor logits, Tensor labels, IReadOnlyList<Tensor> parameters)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var batch = logits.size(0);
        var dz = full ? logits.grad ?? throw new InvalidOperationException("the logits' gradient was not retained") : null;
        IReadOnlyList<Tensor?> gradients = full ? parameters.Select(p => p.grad).ToList() : [];
        if (FusedStep.FormOf(head, logits.size(1)) is { } form)
            NativeStepStatistics.Compute(form, logits, dz, labels, gradients, stepValues);
        else
            NativeStepStatistics.ComputeFromProbabilities(full ? head.Probabilities(logits) : null, head.Predict(logits), dz, labels, gradients, stepValues);
        // The loss is the batch mean, so each row of dL/dz is an example's own gradient divided by the batch size.
        stepValues[DzNormSum] *= batch;
        stepValues[LossSum] = loss.ToDouble() * batch;
        Record(stepValues, batch, logits.numel());
    }

    /// <summary>Records one step whose values were computed on the host, laid out as the recorded vector above
    /// (with <see cref="Full"/> false only the first two are read).</summary>
    public void Record(ReadOnlySpan<double> values, long batch, long outputCount)
    {
        var length = full ? Fixed + parameterNames.Count : 2;
        if (values.Length < length) throw new ArgumentException($"expected {length} values, got {values.Length}", nameof(values));
        if (sums is not null) throw new InvalidOperationException("device and host records cannot be mixed in one interval");
        if (hostSums is null)
        {
            hostSums = values[..length].ToArray();
            hostMaxima = values[..length].ToArray();
        }
        else
        {
            for (var i = 0; i < length; i++)
            {
                hostSums[i] += values[i];
                hostMaxima![i] = Math.Max(hostMaxima[i], values[i]);
            }
        }
        steps++;
        examples += batch;
        outputs += outputCount;
    }

    /// <summary>Saturated outputs on the wrong side: the target's probability near 0, or a non-target's near 1 (for a
    /// single output, its target is the label). These are the ones whose small gradient stalls learning.</summary>
    // Targets are 0 or 1, so that is |p − target| > 1 − margin: four dispatched ops in the step loop, not eight.
    static Tensor WrongSaturatedCount(Tensor probabilities, Tensor targets) =>
        (probabilities - targets).abs_().gt(1 - SaturationMargin).sum();

    static Tensor TrueClassProbabilitySum(Tensor probabilities, Tensor targets) =>
        probabilities.size(1) == 1
            ? (targets * probabilities + (1 - targets) * (1 - probabilities)).sum()
            : (targets * probabilities).sum();

    public long Steps => steps;

    /// <summary>Reads the accumulated values back (one device sync) and starts a new interval.</summary>
    public IntervalStatistics Flush()
    {
        if (steps == 0) throw new InvalidOperationException("no steps recorded since the last flush");
        double[] s, m;
        if (hostSums is not null)
        {
            s = hostSums;
            m = hostMaxima!;
        }
        else
        {
            using var both = torch.stack([sums!, maxima!]);
            var values = both.data<double>().ToArray();
            s = values[..(values.Length / 2)];
            m = values[(values.Length / 2)..];
        }
        if (!full)
        {
            // Only loss and accuracy were recorded; the diagnostics read as NaN.
            Array.Resize(ref s, Fixed + parameterNames.Count);
            Array.Resize(ref m, Fixed + parameterNames.Count);
            Array.Fill(s, double.NaN, 2, s.Length - 2);
            Array.Fill(m, double.NaN, 2, m.Length - 2);
        }
        var gradients = new Dictionary<string, GradientNorm>();
        for (var i = 0; i < parameterNames.Count; i++)
            gradients[parameterNames[i]] = new GradientNorm(s[Fixed + i] / steps, m[Fixed + i]);
        var result = new IntervalStatistics(
            Steps: steps,
            Examples: examples,
            Loss: s[LossSum] / examples,
            Accuracy: s[Correct] / examples,
            OutputGradientNorm: s[DzNormSum] / examples,
            SaturatedFraction: s[Saturated] / outputs,
            TrueClassProbability: s[TrueProbabilitySum] / examples,
            GradientNorms: gradients,
            LossSum: s[LossSum],
            CorrectCount: s[Correct],
            OutputGradientNormSum: s[DzNormSum],
            SaturatedCount: s[Saturated],
            Outputs: outputs,
            TrueClassProbabilitySum: s[TrueProbabilitySum],
            GradientNormSums: parameterNames.Select((_, i) => s[Fixed + i]).ToArray(),
            WrongSaturatedCount: s[WrongSaturated]);
        Reset();
        return result;
    }

    void Reset()
    {
        sums?.Dispose();
        maxima?.Dispose();
        sums = maxima = null;
        hostSums = hostMaxima = null;
        steps = examples = outputs = 0;
    }

    public void Dispose() => Reset();
}

/// <summary>Mean and maximum over the steps of one parameter's gradient L2 norm.</summary>
public sealed record GradientNorm(double Mean, double Max);

/// <summary>Step statistics over an interval of steps (means per example or per step; raw sums for merging).</summary>
public sealed record IntervalStatistics(
    long Steps,
    long Examples,
    double Loss,
    double Accuracy,
    double OutputGradientNorm,
    double SaturatedFraction,
    double TrueClassProbability,
    IReadOnlyDictionary<string, GradientNorm> GradientNorms,
    double LossSum,
    double CorrectCount,
    double OutputGradientNormSum,
    double SaturatedCount,
    long Outputs,
    double TrueClassProbabilitySum,
    IReadOnlyList<double> GradientNormSums,
    double WrongSaturatedCount = double.NaN)
{
    /// <summary>The share of outputs saturated on the wrong side (see <see cref="StepStatistics"/>): the true class's
    /// probability near 0, or another class's near 1.</summary>
    public double WrongSaturatedFraction => WrongSaturatedCount / Outputs;

    /// <summary>Combines consecutive intervals (e.g. into an epoch).</summary>
    public static IntervalStatistics Merge(IReadOnlyList<IntervalStatistics> parts)
    {
        if (parts.Count == 1) return parts[0];
        var names = parts[0].GradientNorms.Keys.ToList();
        long steps = parts.Sum(p => p.Steps), examples = parts.Sum(p => p.Examples), outputs = parts.Sum(p => p.Outputs);
        double loss = parts.Sum(p => p.LossSum), correct = parts.Sum(p => p.CorrectCount), dz = parts.Sum(p => p.OutputGradientNormSum);
        double saturated = parts.Sum(p => p.SaturatedCount), trueProbability = parts.Sum(p => p.TrueClassProbabilitySum);
        var wrongSaturated = parts.Sum(p => p.WrongSaturatedCount);
        var normSums = names.Select((_, i) => parts.Sum(p => p.GradientNormSums[i])).ToArray();
        var gradients = names.Select((n, i) => (n, new GradientNorm(normSums[i] / steps, parts.Max(p => p.GradientNorms[n].Max))))
            .ToDictionary(x => x.n, x => x.Item2);
        return new IntervalStatistics(steps, examples, loss / examples, correct / examples, dz / examples, saturated / outputs,
            trueProbability / examples, gradients, loss, correct, dz, saturated, outputs, trueProbability, normSums, wrongSaturated);
    }
}
