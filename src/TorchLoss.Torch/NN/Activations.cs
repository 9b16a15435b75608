namespace TorchLoss.Torch.NN;

public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
    public override string ToString() => "Sigmoid";
}

public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor input) => input.Tanh();
    public override string ToString() => "Tanh";
}

public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor input) => input.Relu();
    public override string ToString() => "ReLU";
}
