using TorchLoss.Runtime;

namespace TorchLoss.Engines;

/// <summary>
/// CPU thread settings for training: <see cref="IntraOp"/> threads split each step's work, <see cref="Blas"/> threads
/// run inside each matrix product (TorchSharp's libtorch uses the oneMKL it embeds). Only one of the two is above one
/// by default, since two pools spinning against each other on few cores is the worst case measured here
/// (`torchloss bench`, 2 cores, batch 128: autograd 2x2 ran at 176 steps/s, 1x2 at 264, 1x1 at 281):
/// <list type="bullet">
/// <item>autograd and closed-form: 1 libtorch intra-op thread; MKL on one core for small steps and on every core from
/// <see cref="ThreadedBlasFrom"/> multiply-adds per forward pass. MKL's second thread sleeps between products
/// (OMP_WAIT_POLICY=PASSIVE) and waking it costs more than it saves on small products: on the 784-256-256-10 MLP,
/// 1x1 ran 1.2-1.6x faster than 1x2 at batch 32-256, they tied at 512 and 1x2 was 1.45x faster at 1024. Letting it
/// spin instead (GOMP_SPINCOUNT) made 1x2 faster idle but 3-8x slower beside one other CPU-bound process.</item>
/// <item>fused: the fused engine's own threads on every core, each calling a single-threaded MKL.</item>
/// </list>
/// </summary>
public sealed record ThreadSettings(int IntraOp, int? Blas)
{
    /// <summary>The fused engine's thread count for steps created without one: like libtorch's own intra-op count, a
    /// process-wide setting, set by <see cref="Apply"/> for the fused engine (all cores until then).</summary>
    public static int FusedThreads { get; private set; } = Environment.ProcessorCount;

    /// <summary>Forward multiply-adds per step (batch x parameter count) from which autograd runs MKL on every core: the
    /// 784-256-256-10 MLP's 269,322 parameters reach it at batch 499.</summary>
    public const long ThreadedBlasFrom = 1L << 27;

    /// <summary>The measured best default for an engine (Auto counts as fused, which it picks where it can), for a step
    /// of <paramref name="forwardMultiplyAdds"/> (see <see cref="ForwardMultiplyAdds"/>; the fused engine ignores it).</summary>
    public static ThreadSettings For(TrainingEngine engine, long forwardMultiplyAdds) => engine is TrainingEngine.Autograd or TrainingEngine.ClosedForm
        ? new(1, forwardMultiplyAdds >= ThreadedBlasFrom ? Environment.ProcessorCount : 1)
        : new(Environment.ProcessorCount, 1);

    /// <summary>A step's size for the thread defaults: batch x parameter count, a dense net's forward multiply-adds.</summary>
    public static long ForwardMultiplyAdds(long batch, long parameters) => batch * parameters;

    /// <summary>The given counts, the engine's defaults for the rest. A count given alone leaves the other to fill the
    /// remaining cores (intra-op x BLAS &lt;= cores): both pools above one would spin against each other.</summary>
    public static ThreadSettings Resolve(int? intraOp, int? blas, TrainingEngine engine, long forwardMultiplyAdds)
    {
        var d = For(engine, forwardMultiplyAdds);
        var cores = Environment.ProcessorCount;
        return (intraOp, blas) switch
        {
            ({ } i, { } b) => new(i, b),
            ({ } i, null) => new(i, Math.Max(1, cores / i)),
            (null, { } b) => new(Math.Max(1, cores / b), b),
            _ => d,
        };
    }

    /// <summary>Applies the settings for <paramref name="engine"/>. Autograd: libtorch's intra-op count, then MKL's count
    /// on this thread. Fused: the engine's threads are its own (it reads <see cref="IntraOp"/>); libtorch and MKL get the
    /// BLAS count. The BLAS count is reported null when the BLAS offers no control.</summary>
    public ThreadSettings Apply(TrainingEngine engine = TrainingEngine.Autograd)
    {
        if (IntraOp < 1) throw new ArgumentOutOfRangeException(nameof(IntraOp), IntraOp, "thread count must be at least 1");
        if (Blas is < 1) throw new ArgumentOutOfRangeException(nameof(Blas), Blas, "BLAS thread count must be at least 1");
        var fused = engine is TrainingEngine.Fused or TrainingEngine.Auto;
        TorchRuntime.Threads = fused ? Blas ?? 1 : IntraOp;
        if (fused) FusedThreads = IntraOp;
        if (!Runtime.Blas.SetThreadsOnThisThread(Blas ?? 0)) return this with { Blas = null };
        return this;
    }

    public override string ToString() => $"{IntraOp} intra-op thread(s), {(Blas is { } b ? $"{b} BLAS thread(s)" : "BLAS threads not controllable")}";
}
