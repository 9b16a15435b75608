using TorchSharp;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Benchmarking;

/// <summary>The device's single-precision matrix-product speed under the current thread settings: the roofline
/// a training step's matrix products can at best reach.</summary>
public static class SgemmBenchmark
{
    public static Rate GigaflopsPerSecond(Device device, int size, int repetitions)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.rand([size, size], device: device);
        var b = torch.rand([size, size], device: device);
        void Product()
        {
            using var inner = torch.NewDisposeScope();
            a.matmul(b);
        }
        Timing.Seconds(device, 2, Product);
        var flops = 2.0 * size * size * size;
        var timesPerSample = device.IsCuda() ? 20 : 3;
        var samples = Enumerable.Range(0, repetitions)
            .Select(_ => flops * timesPerSample / Timing.Seconds(device, timesPerSample, Product) / 1e9).ToList();
        return Rate.Of(samples);
    }
}
