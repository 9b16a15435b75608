namespace TorchLoss.Data;

/// <summary>Mean and (population) standard deviation of pixel values scaled to [0, 1].</summary>
public readonly record struct PixelStatistics(double Mean, double Std)
{
    public static PixelStatistics Of(ReadOnlySpan<byte> pixels)
    {
        if (pixels.IsEmpty) throw new ArgumentException("no pixels to summarise", nameof(pixels));
        // Integer sums are exact (47M MNIST pixels * 255^2 is far below long.MaxValue), so the result does not depend on order.
        long sum = 0, sumOfSquares = 0;
        foreach (var p in pixels)
        {
            sum += p;
            sumOfSquares += p * p;
        }
        double n = pixels.Length;
        var mean = sum / n;
        var variance = Math.Max(0, sumOfSquares / n - mean * mean);
        return new PixelStatistics(mean / 255, Math.Sqrt(variance) / 255);
    }
}
