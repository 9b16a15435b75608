namespace TorchLoss.Tests.Reliability;

/// <summary>A fact that needs a one-node <see cref="SlurmCluster"/>, and MNIST when <paramref name="needsMnist"/>; reported as
/// skipped, with the reason, where either is missing (no Slurm or munge installed, not root, no munge key; MNIST not fetched).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute(bool needsMnist = false) => Skip = (needsMnist ? Data.MnistPresence.SkipReason() : null) ?? SlurmCluster.SkipReason;
}
