namespace TorchLoss.Torch.Optim;

/// <summary>Updates parameters in place from their stored gradients. State tensors (momentum, moments)
/// are owned by the optimizer and exposed by name so a checkpoint can save and restore them.</summary>
public abstract class Optimizer : IDisposable
{
    protected Optimizer(IReadOnlyList<Tensor> parameters, double learningRate)
    {
        if (parameters.Count == 0) throw new ArgumentException("optimizer got no parameters", nameof(parameters));
        Parameters = parameters;
        LearningRate = learningRate;
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    double learningRate;

    public double LearningRate
    {
        get => learningRate;
        set
        {
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "learning rate must be a positive finite number");
            learningRate = value;
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = Autograd.NoGrad();
        using var scope = DisposeScope.Enter();
        for (var i = 0; i < Parameters.Count; i++)
        {
            var grad = Parameters[i].Grad;
            if (grad is not null) Update(i, Parameters[i], grad);
        }
        StepCount++;
    }

    public long StepCount { get; protected set; }

    protected abstract void Update(int index, Tensor parameter, Tensor grad);

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ClearGrad();
    }

    /// <summary>Named state tensors for checkpoints (names are stable for a given optimizer configuration).</summary>
    public abstract IEnumerable<(string Name, Tensor Value)> State();

    /// <summary>Restores what <see cref="State"/> returned, copied onto this optimizer's device.</summary>
    public abstract void LoadState(IReadOnlyDictionary<string, Tensor> state, long stepCount);

    /// <summary>A persistent state tensor (not owned by any dispose scope).</summary>
    protected static Tensor Keep(Tensor t) => t.DetachFromScope();

    protected static Tensor Restore(IReadOnlyDictionary<string, Tensor> state, string name, Tensor like)
    {
        if (!state.TryGetValue(name, out var saved)) throw new InvalidDataException($"optimizer state '{name}' is missing");
        if (!saved.Shape.SequenceEqual(like.Shape)) throw new InvalidDataException($"optimizer state '{name}' has the wrong shape");
        using var noGrad = Autograd.NoGrad();
        // to() returns the same tensor when nothing changes; the optimizer needs its own copy.
        using var onDevice = saved.To(like.Device);
        using var converted = onDevice.To(like.DType);
        return Keep(converted.Clone());
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
