using BenchmarkDotNet.Attributes;
using TorchLoss.Torch;
using TorchLoss.Torch.NN;
using TorchLoss.Torch.Optim;

namespace TorchLoss.Benchmarks;

/// <summary>One SGD step (forward, softmax cross-entropy, backward, update) of the 784-256-256-10 sigmoid MLP,
/// the model of the Golik et al. comparison, at batch 128 on the CPU, for 1 and 2 intra-op threads.</summary>
public class TrainingStepBenchmarks
{
    [Params(1, 2)]
    public int Threads { get; set; }

    Sequential model = null!;
    Sgd optimizer = null!;
    Tensor x = null!;
    Tensor y = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.Threads = Threads;
        TorchRuntime.ManualSeed(0);
        model = new Sequential(new Linear(784, 256), new Sigmoid(), new Linear(256, 256), new Sigmoid(), new Linear(256, 10));
        optimizer = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
        x = Tensor.Rand([128, 784]).DetachFromScope();
        y = Tensor.Randint(0, 10, [128]).DetachFromScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        model.Dispose();
        x.Dispose();
        y.Dispose();
    }

    [Benchmark(Description = "784-256-256-10 sigmoid MLP, batch 128, SGD step")]
    public void Step()
    {
        using var scope = DisposeScope.Enter();
        var logits = model.Forward(x);
        var loss = -logits.LogSoftmax(1).Gather(1, y.Unsqueeze(1)).Mean();
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
    }
}
