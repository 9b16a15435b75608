using TorchLoss.Fused;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Fused;

/// <summary>What the fused step must reproduce, computed by autograd through <see cref="ReferenceHeads"/>: the gradients of
/// the batch-mean loss and the step's output (<see cref="FusedMlp.OutputLength"/> values, in its order).</summary>
internal sealed record AutogradReference(double[][] Gradients, double[] Output)
{
    public static AutogradReference Compute(Sequential model, FusedHead head, FusedBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        var parameters = model.parameters().ToArray();
        foreach (var p in parameters) p.grad = null;
        var z = model.forward(batch.X);
        z.retain_grad();
        var losses = ReferenceHeads.Loss(head, z, batch.Y);
        losses.mean().backward();

        using var noGrad = torch.no_grad();
        var size = batch.X.shape[0];
        var y = batch.Y;
        var prob = ReferenceHeads.Probabilities(head, z);
        var trueClass = z.shape[1] == 1 ? torch.where(y.eq(1), prob.squeeze(1), 1 - prob.squeeze(1)) : prob.gather(1, y.unsqueeze(1));
        var output = new List<double>
        {
            losses.sum().to(ScalarType.Float64).item<double>(),
            ReferenceHeads.Predictions(head, z).eq(y).sum().item<long>(),
            // dL_i/dz_i of each example's own loss is batch times its row of the batch mean's gradient.
            (z.grad! * size).square().sum(1).sqrt().sum().to(ScalarType.Float64).item<double>(),
            (prob.lt(0.01) | prob.gt(0.99)).sum().item<long>(),
            trueClass.sum().to(ScalarType.Float64).item<double>(),
            // Wrongly saturated: the true class's output near 0 or another class's near 1 (one output: class 1's).
            WrongSaturated(prob, z.shape[1] == 1 ? y.eq(1).unsqueeze(1) : torch.nn.functional.one_hot(y, z.shape[1]).to(ScalarType.Bool)),
        };
        output.AddRange(parameters.Select(p => p.grad!.norm().to(ScalarType.Float64).item<double>()));
        var gradients = parameters.Select(p => FusedModels.Values(p.grad!)).ToArray();
        foreach (var p in parameters) p.grad = null;
        return new AutogradReference(gradients, output.ToArray());
    }

    static long WrongSaturated(Tensor prob, Tensor isTarget) =>
        ((isTarget & prob.lt(0.01)) | (~isTarget & prob.gt(0.99))).sum().item<long>();

    /// <summary>Every value of <paramref name="actual"/> (a fused step's output) within <paramref name="relative"/> of this one's.</summary>
    public void AssertSameOutput(double[] actual, double relative, string what)
    {
        string[] names = ["loss sum", "correct", "output gradient norm sum", "saturated", "true-class probability sum", "wrongly saturated"];
        Assert.Equal(Output.Length, actual.Length);
        for (var i = 0; i < Output.Length; i++)
            FusedModels.AssertClose(Output[i], actual[i], relative, $"{what}: {(i < names.Length ? names[i] : $"gradient norm {i - names.Length}")}");
    }
}
