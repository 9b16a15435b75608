using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>
/// CPU thread settings for training. OpenBLAS runs its own threads inside each matrix product, and libtorch's
/// OpenMP intra-op threads contend with them when both are above one: on a 2-core machine PyTorch 1.13 ran the
/// 784-256-256-10 MLP at 833 steps/s with 1 intra-op thread and 181 with 2. So only one of the two pools is used:
/// <list type="bullet">
/// <item>autograd: 1 intra-op thread and one BLAS thread per core (parallelism inside each libtorch op's BLAS call);</item>
/// <item>fused: one intra-op thread per core and 1 BLAS thread (the fused step splits its own work over the intra-op
/// threads, each calling a single-threaded BLAS on its block).</item>
/// </list>
/// `torchloss bench` measures the alternatives.
/// </summary>
public sealed record ThreadSettings(int IntraOp, int? Blas)
{
    /// <summary>The measured best default for an engine (Auto counts as fused, which it picks where it can).</summary>
    public static ThreadSettings For(TrainingEngine engine) => engine == TrainingEngine.Autograd
        ? new(1, Environment.ProcessorCount)
        : new(Environment.ProcessorCount, 1);

    /// <summary>The given counts, the engine's defaults for the rest. When only one count is given, the other fills the
    /// remaining cores (intra-op x BLAS &lt;= cores): both pools above one would spin against each other.</summary>
    public static ThreadSettings Resolve(int? intraOp, int? blas, TrainingEngine engine = TrainingEngine.Autograd)
    {
        var d = For(engine);
        var cores = Environment.ProcessorCount;
        return (intraOp, blas) switch
        {
            ({ } i, { } b) => new(i, b),
            ({ } i, null) => new(i, Math.Max(1, cores / i)),
            (null, { } b) => new(Math.Max(1, cores / b), b),
            _ => d,
        };
    }

    /// <summary>Applies the settings; the BLAS count is skipped (and reported null) when the BLAS has no control.</summary>
    public ThreadSettings Apply()
    {
        TorchRuntime.Threads = IntraOp;
        if (TorchRuntime.BlasThreads is null) return this with { Blas = null };
        if (Blas is { } b) TorchRuntime.BlasThreads = b;
        return this;
    }

    public override string ToString() => $"{IntraOp} intra-op thread(s), {(Blas is { } b ? $"{b} BLAS thread(s)" : "BLAS threads not controllable")}";
}
