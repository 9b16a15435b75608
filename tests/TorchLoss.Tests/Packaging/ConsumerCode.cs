using TorchLoss.Fused;
using TorchLoss.Heads;
using TorchLoss.Models;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Packaging;

/// <summary>What a user's own project computes with the TorchLoss package. PackageTests copies this file into a consumer
/// project that references the packages, and runs the same code here on the library built from source: the two must
/// agree. Fixed weights and inputs, no random numbers (the global seed is shared with tests running alongside).</summary>
public static class ConsumerCode
{
    /// <summary>softmax-ce on logits [[2, 0, 0], [0, 0, 2]] with labels [0, 2]: ln(1 + 2 e^-2) for each row.</summary>
    public static readonly double TinyHeadLoss = Math.Log(1 + 2 * Math.Exp(-2));

    /// <summary>The head's loss on the tiny tensor; a 3-4-3 ModelSpec MLP's loss through the head and through the fused
    /// engine's native library; whether that engine found libtorch's BLAS.</summary>
    public static (double HeadLoss, double ModelLoss, double FusedLoss, bool FusedUsesBlas) Losses()
    {
        using var scope = NewDisposeScope();
        using var head = HeadCatalog.Create("softmax-ce");
        var headLoss = head.forward(tensor(new float[] { 2, 0, 0, 0, 0, 2 }, [2, 3]), tensor(new long[] { 0, 2 })).item<float>();

        using var model = ModelSpec.Parse("mlp:4").Build(3, 3);
        using (no_grad())
            foreach (var p in model.parameters()) p.copy_(linspace(-1, 1, p.numel()).reshape(p.shape));
        var x = linspace(-2, 2, 12).reshape(4, 3);
        var y = tensor(new long[] { 0, 1, 2, 1 });
        var modelLoss = head.forward(model.forward(x), y).item<float>();

        using var fused = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy), threads: 1);
        var (lossSum, _) = fused.Evaluate(x, y);
        return (headLoss, modelLoss, lossSum / 4, fused.UsesBlas);
    }
}
