using BenchmarkDotNet.Attributes;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Benchmarks;

/// <summary>One training step (as `train` runs it, step statistics included, with the fused and the autograd engine)
/// and one forward pass with the loss, for every head, on the 784-256-256-10 sigmoid MLP.</summary>
// In-process: BenchmarkDotNet's generated projects skip Directory.Build.*, so they would miss the TorchSharp loader fix.
[InProcess]
[WarmupCount(3), IterationCount(10)]
[MarkdownExporterAttribute.GitHub, JsonExporterAttribute.Full]
public class HeadBenchmarks
{
    [ParamsSource(nameof(Settings))]
    public string Setting { get; set; } = "cpu:fused";

    [ParamsSource(nameof(HeadNames))]
    public string Head { get; set; } = SoftmaxCrossEntropyHead.HeadName;

    [Params(32, 128, 1024)]
    public int Batch { get; set; }

    public static IEnumerable<string> Settings() => DeviceSetting.Available();

    public static IEnumerable<string> HeadNames() => HeadCatalog.Names;

    TorchSharp.Modules.Sequential model = null!;
    OutputHead head = null!;
    optim.Optimizer optimizer = null!;
    long steps;
    StepStatistics statistics = null!;
    ITrainingStep step = null!;
    TorchLoss.Fused.FusedMlp? fusedForward;
    Tensor x = null!;
    Tensor y = null!;

    [GlobalSetup]
    public void Setup()
    {
        var spec = new ModelSpec(ModelKind.Mlp, [256, 256]);
        var (device, engine) = DeviceSetting.Apply(Setting, ThreadSettings.ForwardMultiplyAdds(Batch, spec.ParameterCount(784, 10)));
        TorchRuntime.ManualSeed(0);
        model = spec.Build(784, 10, device);
        head = HeadCatalog.Create(Head);
        optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        statistics = new StepStatistics(Trainer.ParameterNames(model));
        var resolved = TrainingEngines.Resolve(engine, model, head, optimizer).Engine;
        step = TrainingEngines.Create(resolved, model, head, optimizer, statistics);
        if (resolved == TrainingEngine.Fused) fusedForward = TorchLoss.Fused.FusedMlp.Create(model, FusedStep.FormOf(head, 10)!, ThreadSettings.FusedThreads);
        x = torch.rand([Batch, 784], device: device).DetachFromDisposeScope();
        y = torch.randint(0, 10, [Batch], device: device).DetachFromDisposeScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        step.Dispose();
        fusedForward?.Dispose();
        statistics.Dispose();
        optimizer.Dispose();
        model.Dispose();
        x.Dispose();
        y.Dispose();
    }

    [Benchmark(Description = "training step")]
    public void TrainingStep()
    {
        using (torch.NewDisposeScope()) step.Run(new Batch(x, y));
        if (++steps % 100 == 0) statistics.Flush();
        if (x.is_cuda) TorchRuntime.CudaSynchronize();
    }

    /// <summary>The forward pass as the setting's engine scores a split: natively for fused, through tensor ops otherwise.</summary>
    [Benchmark(Description = "forward pass and loss")]
    public double Forward()
    {
        if (fusedForward is not null) return fusedForward.Evaluate(x, y).LossSum / Batch;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var logits = model.forward(x);
        return head.MeanLoss(logits, OutputHead.Targets(y, logits.size(1), ScalarType.Float32)).ToDouble();
    }
}
