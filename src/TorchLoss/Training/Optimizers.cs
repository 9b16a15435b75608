using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>The optimizers a run can use, by name, and what the trainer needs of TorchSharp's optimizers: the learning
/// rate, the SGD settings, and their state as named tensors for checkpoints.</summary>
public static class Optimizers
{
    public static IReadOnlyList<string> Names { get; } = ["sgd", "adam"];

    /// <summary>TorchSharp's SGD or Adam over <paramref name="parameters"/>, as the config says.</summary>
    public static optim.Optimizer Create(TrainConfig config, IEnumerable<Parameter> parameters) => config.Optimizer switch
    {
        "sgd" => optim.SGD(parameters, config.LearningRate, config.Momentum, config.Dampening, config.WeightDecay, config.Nesterov),
        "adam" => optim.Adam(parameters, config.LearningRate, weight_decay: config.WeightDecay),
        _ => throw new FormatException($"unknown optimizer '{config.Optimizer}': expected one of {string.Join(", ", Names)}"),
    };

    public static double LearningRate(this optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    public static void SetLearningRate(this optim.Optimizer optimizer, double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learning rate must be a positive finite number");
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    /// <summary>PyTorch's SGD settings of a TorchSharp SGD (one parameter group).</summary>
    public static SgdSettings Settings(this SGD sgd)
    {
        var group = (SGD.ParamGroup)sgd.ParamGroups.Single();
        var o = group.Options;
        return new SgdSettings(o.LearningRate ?? 0, o.momentum ?? 0, o.dampening ?? 0, o.weight_decay ?? 0, o.nesterov ?? false, o.maximize ?? false);
    }

    /// <summary>The optimizer's state tensors by stable names ("3.momentum_buffer": parameter index, then field),
    /// copies on the CPU for a checkpoint. Adam's step counts are stored as int64 scalars.</summary>
    public static List<(string Name, Tensor Value)> State(this optim.Optimizer optimizer)
    {
        var result = new List<(string, Tensor)>();
        var states = ((OptimizerHelper)optimizer).state_dict().State;
        for (var i = 0; i < states.Count; i++)
        {
            switch (states[i])
            {
                case SGD.State s when s.momentum_buffer is not null:
                    result.Add(($"{i}.momentum_buffer", Copy(s.momentum_buffer)));
                    break;
                case Adam.State a:
                    result.Add(($"{i}.step", torch.tensor(a.step)));
                    if (a.exp_avg is not null) result.Add(($"{i}.exp_avg", Copy(a.exp_avg)));
                    if (a.exp_avg_sq is not null) result.Add(($"{i}.exp_avg_sq", Copy(a.exp_avg_sq)));
                    if (a.max_exp_avg_sq is not null) result.Add(($"{i}.max_exp_avg_sq", Copy(a.max_exp_avg_sq)));
                    break;
            }
        }
        return result;
    }

    /// <summary>Restores what <see cref="State"/> returned, onto each parameter's device and dtype; every name and
    /// shape is checked before anything changes.</summary>
    public static void LoadState(this optim.Optimizer optimizer, IReadOnlyDictionary<string, Tensor> saved)
    {
        var parameters = optimizer.parameters().ToList();
        var states = ((OptimizerHelper)optimizer).state_dict().State;
        foreach (var (name, value) in saved)
        {
            var dot = name.IndexOf('.');
            if (dot < 1 || !int.TryParse(name.AsSpan(0, dot), out var index) || index < 0 || index >= parameters.Count)
                throw new InvalidDataException($"optimizer state '{name}' names no parameter of this model");
            var field = name[(dot + 1)..];
            var expected = field == "step" ? [] : parameters[index].shape;
            if (!value.shape.SequenceEqual(expected))
                throw new InvalidDataException($"optimizer state '{name}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", expected)}]");
            var known = (states[index], field) switch
            {
                (SGD.State, "momentum_buffer") => true,
                (Adam.State, "step" or "exp_avg" or "exp_avg_sq" or "max_exp_avg_sq") => true,
                _ => false,
            };
            if (!known) throw new InvalidDataException($"optimizer state '{name}' does not belong to a {optimizer.GetType().Name} optimizer");
        }
        for (var i = 0; i < states.Count; i++)
        {
            var like = parameters[i];
            Tensor? Get(string field) => saved.TryGetValue($"{i}.{field}", out var t) ? Keep(t, like) : null;
            switch (states[i])
            {
                case SGD.State s:
                    s.momentum_buffer?.Dispose();
                    s.momentum_buffer = Get("momentum_buffer");
                    break;
                case Adam.State a:
                    a.step = saved.TryGetValue($"{i}.step", out var step) ? step.ToInt64() : 0;
                    a.exp_avg?.Dispose();
                    a.exp_avg_sq?.Dispose();
                    a.max_exp_avg_sq?.Dispose();
                    a.exp_avg = Get("exp_avg") ?? torch.zeros_like(like).DetachFromDisposeScope();
                    a.exp_avg_sq = Get("exp_avg_sq") ?? torch.zeros_like(like).DetachFromDisposeScope();
                    a.max_exp_avg_sq = Get("max_exp_avg_sq") ?? torch.zeros_like(like).DetachFromDisposeScope();
                    break;
            }
        }
    }

    static Tensor Copy(Tensor t)
    {
        using var noGrad = torch.no_grad();
        return t.detach().cpu().clone();
    }

    static Tensor Keep(Tensor saved, Tensor like)
    {
        using var noGrad = torch.no_grad();
        return saved.to(like.dtype, like.device, copy: true).DetachFromDisposeScope();
    }
}

/// <summary>PyTorch's SGD settings.</summary>
public sealed record SgdSettings(double LearningRate, double Momentum, double Dampening, double WeightDecay, bool Nesterov, bool Maximize);
