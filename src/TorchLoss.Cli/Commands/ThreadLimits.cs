namespace TorchLoss.Cli.Commands;

/// <summary>
/// The most threads a thread option accepts. More threads than cores only oversubscribe them (measured here: 1000 intra-op
/// threads on 2 cores ran 25x slower), so a count above 4 per core is refused rather than run silently; 4 per core leaves
/// room to measure oversubscription with `bench`. oneMKL uses at most 64 threads, so BLAS counts stop there too.
/// </summary>
public static class ThreadLimits
{
    public const int PerCore = 4;
    public const int BlasCap = 64;

    public static int MaxThreads => PerCore * Environment.ProcessorCount;

    public static int MaxBlasThreads => Math.Min(BlasCap, MaxThreads);

    public static string Rule => $"{PerCore} per core, {Environment.ProcessorCount} cores here";

    public static string BlasRule => $"{PerCore} per core, {Environment.ProcessorCount} cores here, and oneMKL's cap of {BlasCap}";
}
