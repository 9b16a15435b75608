using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

public sealed class EpochOrderTests
{
    [Fact]
    public void Is_a_permutation()
    {
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), EpochOrder.Permutation(1000, 42, 5).Order());
    }

    [Fact]
    public void Is_pinned_so_a_run_can_be_repeated_with_later_builds()
    {
        Assert.Equal([8L, 7, 5, 3, 4, 1, 0, 9, 2, 6], EpochOrder.Permutation(10, seed: 1, epoch: 0));
    }

    [Fact]
    public void The_seed_combines_seed_and_epoch_without_collisions_for_neighbours()
    {
        var seeds = from seed in Enumerable.Range(0, 50) from epoch in Enumerable.Range(0, 50)
                    select EpochOrder.SeedFor((ulong)seed, epoch);
        Assert.Equal(2500, seeds.Distinct().Count());
        // Plain truncation to 32 bits would make these two equal.
        Assert.NotEqual(EpochOrder.SeedFor(0, 0), EpochOrder.SeedFor(1UL << 40, 0));
    }

    [Fact]
    public void Handles_empty_and_single_element_sets()
    {
        Assert.Empty(EpochOrder.Permutation(0, 1, 0));
        Assert.Equal([0L], EpochOrder.Permutation(1, 1, 0));
    }
}
