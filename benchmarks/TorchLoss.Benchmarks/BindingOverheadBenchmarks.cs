using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Benchmarks;

/// <summary>Cost of one tiny op through the binding (P/Invoke, handle, scope bookkeeping), where libtorch's
/// own work is negligible: this is the per-call overhead every training step pays many times.</summary>
[MemoryDiagnoser]
[MarkdownExporterAttribute.GitHub, JsonExporterAttribute.Full]
public class BindingOverheadBenchmarks
{
    Tensor a = null!;
    Tensor b = null!;

    [GlobalSetup]
    public void Setup()
    {
        a = torch.ones([1]);
        b = torch.ones([1]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        a.Dispose();
        b.Dispose();
    }

    [Benchmark(Description = "add of two 1-element tensors, disposed")]
    public void AddAndDispose()
    {
        using var c = a + b;
    }

    [Benchmark(Description = "add inside a dispose scope")]
    public void AddInScope()
    {
        using var scope = torch.NewDisposeScope();
        _ = a + b;
    }

    [Benchmark(Description = "in-place add_ (no new handle)")]
    public void AddInPlace() => a.add_(b);

    [Benchmark(Description = "shape query")]
    public long ShapeQuery() => a.dim();
}
