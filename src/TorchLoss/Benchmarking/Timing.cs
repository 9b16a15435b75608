using System.Diagnostics;
using TorchSharp;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Benchmarking;

/// <summary>Median and spread of repeated rate measurements.</summary>
public sealed record Rate(double Median, double Min, double Max, IReadOnlyList<double> Samples)
{
    public static Rate Of(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new Rate(median, sorted[0], sorted[^1], samples);
    }

    /// <summary>(max - min) / median: how much repetitions disagreed.</summary>
    public double Spread => Median > 0 ? (Max - Min) / Median : double.NaN;
}

internal static class Timing
{
    /// <summary>Runs <paramref name="work"/> <paramref name="times"/> times and returns the seconds taken, waiting
    /// for queued CUDA work before stopping the clock so GPU time is not hidden by asynchronous launches.</summary>
    public static double Seconds(Device device, int times, Action work)
    {
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < times; i++) work();
        Synchronize(device);
        return clock.Elapsed.TotalSeconds;
    }

    static void Synchronize(Device device)
    {
        if (device.IsCuda()) TorchRuntime.CudaSynchronize();
    }
}
