namespace TorchLoss.Torch.NN;

/// <summary>y = x W^T + b, initialised as PyTorch's nn.Linear: W and b uniform on ±1/sqrt(in)
/// (kaiming_uniform with a = sqrt(5)), so the same seed gives the same weights as PyTorch.</summary>
public sealed class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, bool bias = true, Device? device = null, DType dtype = DType.Float32)
    {
        if (inFeatures < 1 || outFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear({inFeatures}, {outFeatures}): sizes must be positive");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var bound = 1.0 / Math.Sqrt(inFeatures);
        using (Autograd.NoGrad())
        {
            RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures], dtype, device).Uniform_(-bound, bound));
            if (bias) RegisterParameter("bias", Tensor.Empty([outFeatures], dtype, device).Uniform_(-bound, bound));
        }
        HasBias = bias;
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public bool HasBias { get; }

    public Tensor Weight => Parameter("weight");
    public Tensor? Bias => HasBias ? Parameter("bias") : null;

    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);

    public override string ToString() => $"Linear({InFeatures}, {OutFeatures}, bias={HasBias})";
}
