using TorchLoss.Torch;

namespace TorchLoss.Training;

/// <summary>
/// CPU thread settings for training. OpenBLAS runs its own threads inside each matrix product, and libtorch's
/// intra-op threads contend with them: on a 2-core machine PyTorch 1.13 ran the 784-256-256-10 MLP at
/// 833 steps/s with 1 intra-op thread and 181 with 2. The default is therefore 1 intra-op thread and one
/// BLAS thread per core; `torchloss bench` measures the alternatives.
/// </summary>
public sealed record ThreadSettings(int IntraOp, int? Blas)
{
    public static ThreadSettings Default => new(1, Environment.ProcessorCount);

    public static ThreadSettings Resolve(int? intraOp, int? blas)
    {
        var d = Default;
        return new(intraOp ?? d.IntraOp, blas ?? d.Blas);
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
