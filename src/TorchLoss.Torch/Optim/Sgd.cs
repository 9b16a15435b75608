namespace TorchLoss.Torch.Optim;

/// <summary>Stochastic gradient descent with PyTorch's semantics for momentum, dampening, weight decay
/// and Nesterov momentum.</summary>
public sealed class Sgd : Optimizer
{
    readonly Tensor?[] momentumBuffers;
    Tensor[]? pendingBuffers;

    public Sgd(IReadOnlyList<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false) : base(parameters, learningRate)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be >= 0");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be >= 0");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and zero dampening");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        momentumBuffers = new Tensor?[parameters.Count];
    }

    public double Momentum { get; }
    public double Dampening { get; }
    public double WeightDecay { get; }
    public bool Nesterov { get; }

    protected override void Update(int index, Tensor parameter, Tensor grad)
    {
        var d = grad;
        if (WeightDecay != 0) d = d + parameter * WeightDecay;
        if (Momentum != 0)
        {
            var buffer = momentumBuffers[index];
            if (buffer is null) momentumBuffers[index] = buffer = Keep(d.Clone());
            else buffer.Mul_(Momentum).Add_(d, 1 - Dampening);
            d = Nesterov ? d + buffer * Momentum : buffer;
        }
        parameter.Add_(d, -LearningRate);
    }

    /// <summary>
    /// For an update applied outside <see cref="Optimizer.Step"/> (the fused step): the momentum buffers, and whether they are
    /// fresh, i.e. must start as the first gradient as PyTorch's do. Null without momentum. Fresh buffers are zeros that become
    /// the optimizer's only when <see cref="CountExternalStep"/> counts the update, so a step that fails leaves them fresh.
    /// </summary>
    public (IReadOnlyList<Tensor> Buffers, bool Fresh)? MomentumForExternalUpdate()
    {
        if (Momentum == 0) return null;
        DropPendingBuffers();
        var missing = momentumBuffers.Count(b => b is null);
        if (missing != 0 && missing != momentumBuffers.Length)
            throw new InvalidOperationException("some parameters have momentum and some do not; the fused step updates all of them");
        if (missing == 0) return (momentumBuffers!, false);
        using (Autograd.NoGrad())
            pendingBuffers = Parameters.Select(p => Keep(Tensor.Zeros(p.Shape, p.DType, p.Device))).ToArray();
        return (pendingBuffers, true);
    }

    /// <summary>Counts an update that was applied outside <see cref="Optimizer.Step"/>.</summary>
    public void CountExternalStep()
    {
        if (pendingBuffers is not null)
        {
            for (var i = 0; i < momentumBuffers.Length; i++) momentumBuffers[i] = pendingBuffers[i];
            pendingBuffers = null;
        }
        StepCount++;
    }

    void DropPendingBuffers()
    {
        if (pendingBuffers is null) return;
        foreach (var b in pendingBuffers) b.Dispose();
        pendingBuffers = null;
    }

    public override IEnumerable<(string Name, Tensor Value)> State()
    {
        for (var i = 0; i < momentumBuffers.Length; i++)
            if (momentumBuffers[i] is { } b) yield return ($"momentum.{i}", b);
    }

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        DropPendingBuffers();
        for (var i = 0; i < momentumBuffers.Length; i++)
        {
            momentumBuffers[i]?.Dispose();
            momentumBuffers[i] = state.ContainsKey($"momentum.{i}") ? Restore(state, $"momentum.{i}", Parameters[i]) : null;
        }
        StepCount = stepCount;
    }

    public override void Dispose()
    {
        DropPendingBuffers();
        foreach (var b in momentumBuffers) b?.Dispose();
        base.Dispose();
    }
}
