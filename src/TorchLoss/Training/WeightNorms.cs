using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>
/// How large a model's parameters are: <paramref name="Parameters"/>, the L2 norm of all of them (what weight decay
/// shrinks), and <paramref name="SharedOutput"/>, the part of the output layer that every class shares: √C times the
/// norm of the mean of its C rows [w_c | b_c]. Adding one vector to every row leaves a softmax unchanged (the parameter
/// redundancy of the post "Softmax Regression"), so under a softmax head the loss has no gradient along that part and
/// only weight decay moves it. NaN for a model with one output, which has no such part.
/// </summary>
public sealed record WeightNorms(double Parameters, double SharedOutput)
{
    public static readonly WeightNorms None = new(double.NaN, double.NaN);

    /// <summary>Measures <paramref name="model"/> in float64. Its output layer is the last two-dimensional parameter named
    /// "*.weight", with the bias of the same name, if any.</summary>
    public static WeightNorms Measure(nn.Module model)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var named = model.named_parameters().ToList();
        if (named.Count == 0) return None;
        var squares = named.Sum(p => p.parameter.to(ScalarType.Float64).square().sum().ToDouble());
        return new WeightNorms(Math.Sqrt(squares), SharedOutputNorm(named));
    }

    static double SharedOutputNorm(List<(string name, Parameter parameter)> named)
    {
        var (name, weight) = named.LastOrDefault(p => p.name.EndsWith(".weight", StringComparison.Ordinal) && p.parameter.dim() == 2);
        if (weight is null || weight.size(0) < 2) return double.NaN;
        var rows = weight.to(ScalarType.Float64);
        var biasName = name[..^".weight".Length] + ".bias";
        if (named.FirstOrDefault(p => p.name == biasName).parameter is { } bias)
            rows = torch.cat([rows, bias.to(ScalarType.Float64).unsqueeze(1)], dim: 1);
        return Math.Sqrt(rows.size(0)) * rows.mean([0]).norm().ToDouble();
    }
}
