namespace TorchLoss.Tests;

/// <summary>Tests that use process-wide state (the global RNG seed, thread counts, process memory) run in
/// this collection, which xunit never runs alongside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
