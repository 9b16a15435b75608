namespace TorchLoss.Tests.Reliability;

/// <summary>A fact that needs a one-node <see cref="SlurmCluster"/>; reported as skipped, with the reason, where one cannot
/// start (no Slurm or munge installed, not root, no munge key).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute() => Skip = SlurmCluster.SkipReason;
}
