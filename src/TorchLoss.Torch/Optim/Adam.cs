namespace TorchLoss.Torch.Optim;

/// <summary>Adam (Kingma and Ba) with bias correction and L2 weight decay, as PyTorch's torch.optim.Adam.</summary>
public sealed class Adam : Optimizer
{
    readonly Tensor?[] firstMoments;
    readonly Tensor?[] secondMoments;

    public Adam(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0) : base(parameters, learningRate)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), "betas must lie in [0, 1)");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be > 0");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        firstMoments = new Tensor?[parameters.Count];
        secondMoments = new Tensor?[parameters.Count];
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public double WeightDecay { get; }

    protected override void Update(int index, Tensor parameter, Tensor grad)
    {
        var g = WeightDecay != 0 ? grad + parameter * WeightDecay : grad;
        var m = firstMoments[index] ??= Keep(Tensor.Zeros(parameter.Shape, parameter.DType, parameter.Device));
        var v = secondMoments[index] ??= Keep(Tensor.Zeros(parameter.Shape, parameter.DType, parameter.Device));
        var step = StepCount + 1;
        m.Mul_(Beta1).Add_(g, 1 - Beta1);
        v.Mul_(Beta2).Addcmul_(g, g, 1 - Beta2);
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, step);
        var denominator = (v.Sqrt() / Math.Sqrt(biasCorrection2)).Add_(Epsilon);
        parameter.Addcdiv_(m, denominator, -LearningRate / biasCorrection1);
    }

    public override IEnumerable<(string Name, Tensor Value)> State()
    {
        for (var i = 0; i < firstMoments.Length; i++)
        {
            if (firstMoments[i] is { } m) yield return ($"exp_avg.{i}", m);
            if (secondMoments[i] is { } v) yield return ($"exp_avg_sq.{i}", v);
        }
    }

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        for (var i = 0; i < firstMoments.Length; i++)
        {
            firstMoments[i]?.Dispose();
            secondMoments[i]?.Dispose();
            var has = state.ContainsKey($"exp_avg.{i}");
            firstMoments[i] = has ? Restore(state, $"exp_avg.{i}", Parameters[i]) : null;
            secondMoments[i] = has ? Restore(state, $"exp_avg_sq.{i}", Parameters[i]) : null;
        }
        StepCount = stepCount;
    }

    public override void Dispose()
    {
        foreach (var t in firstMoments.Concat(secondMoments)) t?.Dispose();
        base.Dispose();
    }
}
