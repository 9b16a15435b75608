using TorchLoss.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Engines;

/// <summary>
/// A head's batch-mean loss as a TorchSharp custom autograd function whose backward is the head's hand-derived dL/dz
/// (<see cref="OutputHead.LogitGradient"/>, divided by the batch size) instead of autograd's: the closed form runs on
/// any device inside an otherwise ordinary autograd graph. Tested equal to autograd.
/// </summary>
public sealed class ClosedFormLoss : autograd.SingleTensorFunction<ClosedFormLoss>
{
    public override string Name => nameof(ClosedFormLoss);

    /// <summary>The mean loss of <paramref name="logits"/> against <paramref name="targets"/> (as from <see cref="OutputHead.Targets"/>).</summary>
    public static Tensor Apply(OutputHead head, Tensor logits, Tensor targets) => apply(logits, targets, head);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (logits, targets, head) = ((Tensor)vars[0], (Tensor)vars[1], (OutputHead)vars[2]);
        ctx.save_for_backward([logits, targets]);
        ctx.save_data("head", head);
        return head.MeanLoss(logits, targets);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (logits, targets) = (saved[0], saved[1]);
        var head = (OutputHead)ctx.get_data("head");
        using var perExample = head.LogitGradient(logits, targets);
        return [perExample * (grad_output / logits.size(0)), null!, null!];
    }
}
