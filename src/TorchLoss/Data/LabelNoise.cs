namespace TorchLoss.Data;

/// <summary>
/// Symmetric label noise: exactly round(fraction x n) labels, picked by a seeded shuffle, each changed to one of the
/// other classes chosen uniformly. Computed in C# with its own generator (as <see cref="EpochOrder"/>), so the same
/// seed gives the same noisy labels on every machine and never touches libtorch's generator.
/// </summary>
public static class LabelNoise
{
    /// <summary>The seed every run uses unless told otherwise: the arms of a study see the same noisy labels, whatever
    /// their training seed.</summary>
    public const ulong DefaultSeed = 0;

    public static long[] Apply(IReadOnlyList<long> labels, int classes, double fraction, ulong seed = DefaultSeed)
    {
        if (!(fraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the label-noise fraction must be in [0, 1]");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "label noise needs at least 2 classes");
        var noisy = labels.ToArray();
        var flips = (int)Math.Round(fraction * noisy.Length, MidpointRounding.AwayFromZero);
        if (flips == 0) return noisy;
        var random = new Random(EpochOrder.SeedFor(seed, -1));
        var order = Enumerable.Range(0, noisy.Length).ToArray();
        // A partial Fisher-Yates shuffle: its first `flips` positions are a uniform sample without replacement.
        for (var i = 0; i < flips; i++)
        {
            var j = i + random.Next(noisy.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
            var label = noisy[order[i]];
            if (label < 0 || label >= classes) throw new ArgumentException($"label {label} is outside [0, {classes})", nameof(labels));
            noisy[order[i]] = (label + 1 + random.Next(classes - 1)) % classes;
        }
        return noisy;
    }
}
