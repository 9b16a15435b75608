namespace TorchLoss.Data;

/// <summary>
/// The order in which an epoch visits the examples. Computed in C# rather than with libtorch's generator so that
/// shuffling never disturbs the global RNG that initialises models: same seed and epoch, same order, always.
/// </summary>
public static class EpochOrder
{
    public static long[] Permutation(int count, ulong seed, int epoch)
    {
        var order = new long[count];
        for (var i = 0; i < count; i++) order[i] = i;
        var random = new Random(SeedFor(seed, epoch));
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>seed * 1,000,003 + epoch, folded to the 32 bits System.Random takes (keeping the high bits' influence).</summary>
    internal static int SeedFor(ulong seed, int epoch)
    {
        var mixed = unchecked(seed * 1_000_003UL + (ulong)epoch);
        return unchecked((int)(mixed ^ (mixed >> 32)));
    }
}
