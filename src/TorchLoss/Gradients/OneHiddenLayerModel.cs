using TorchLoss.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Gradients;

/// <summary>
/// An MLP with one hidden layer: u = x W1^T + b1, a = f(u), z = a W2^T + b2. Backprop by hand from delta = dL/dz:
/// dW2 = delta^T a, db2 = sum delta, delta1 = (delta W2) * f'(u), dW1 = delta1^T x, db1 = sum delta1.
/// </summary>
public sealed class OneHiddenLayerModel(int hiddenUnits, HiddenActivation activation) : GradientModel
{
    public int HiddenUnits { get; } = hiddenUnits >= 1
        ? hiddenUnits : throw new ArgumentOutOfRangeException(nameof(hiddenUnits), hiddenUnits, "hidden units must be at least 1");

    public HiddenActivation Activation { get; } = activation;

    public override string Name => "mlp";
    public override IReadOnlyList<string> VariableNames => ["W1", "b1", "W2", "b2"];
    public override ModelSpec? Spec => new(ModelKind.Mlp, [HiddenUnits], Activation);

    public override IReadOnlyList<Tensor> Initial(int batch, int features, int classes) =>
    [
        Normal([HiddenUnits, features], features), Normal([HiddenUnits], features),
        Normal([classes, HiddenUnits], HiddenUnits), Normal([classes], HiddenUnits),
    ];

    public override Tensor Logits(Tensor inputs, IReadOnlyList<Tensor> variables)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = Activation.Apply(nn.functional.linear(inputs, variables[0], variables[1]));
        return nn.functional.linear(hidden, variables[2], variables[3]).MoveToOuterDisposeScope();
    }

    public override IReadOnlyList<Tensor> Backward(Tensor inputs, IReadOnlyList<Tensor> variables, Tensor delta)
    {
        using var scope = torch.NewDisposeScope();
        var preActivation = nn.functional.linear(inputs, variables[0], variables[1]);
        var hidden = Activation.Apply(preActivation);
        var hiddenDelta = LinearLayerGradients.Input(delta, variables[2]) * Activation.Derivative(preActivation, hidden);
        Tensor[] gradients =
        [
            LinearLayerGradients.Weight(hiddenDelta, inputs), LinearLayerGradients.Bias(hiddenDelta),
            LinearLayerGradients.Weight(delta, hidden), LinearLayerGradients.Bias(delta),
        ];
        foreach (var g in gradients) g.MoveToOuterDisposeScope();
        return gradients;
    }

    public override IReadOnlyList<Tensor> ScaleLogits(IReadOnlyList<Tensor> variables, double factor) =>
        [variables[0].alias(), variables[1].alias(), variables[2] * factor, variables[3] * factor];
}
