using System.Runtime.InteropServices;

namespace TorchLoss.Fused.Interop;

/// <summary>tlf_blas: Fortran sgemm_/dgemm_ and MKL's MKL_Set_Num_Threads_Local, any of them null.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BlasTable
{
    public nint Sgemm, Dgemm, SetThreadsLocal;
}

/// <summary>tlf_head.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HeadSettings
{
    public int Kind;
    public double SquaredErrorScale, TrueClassWeight, TrueClassTarget;

    public static HeadSettings Of(FusedHead head) => new()
    {
        Kind = (int)head.Loss, SquaredErrorScale = head.SquaredErrorScale, TrueClassWeight = head.TrueClassWeight,
        TrueClassTarget = head.TrueClassTarget,
    };
}

/// <summary>tlf_sgd.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SgdSettings
{
    public double LearningRate, Momentum, Dampening, WeightDecay;
    public int Nesterov, FreshMomentum;
}

/// <summary>The C ABI of libtorchloss_fused.so (native/include/torchloss_fused.h), which sits next to this assembly.</summary>
internal static unsafe partial class NativeMethods
{
    const string Library = "torchloss_fused";

    public const int Float32 = 0, Float64 = 1;

    [LibraryImport(Library)]
    public static partial nint tlf_create(int dtype, int nLayers, long* widths, int hiddenActivation, HeadSettings* head,
        int threads, BlasTable* blas);

    [LibraryImport(Library)]
    public static partial void tlf_free(nint mlp);

    [LibraryImport(Library)]
    public static partial nint tlf_last_error();

    [LibraryImport(Library)]
    public static partial int tlf_step(FusedMlpHandle mlp, nint* parameters, nint* momentum, nint x, nint labels, long batch,
        SgdSettings* sgd, int statistics, double* output);

    [LibraryImport(Library)]
    public static partial int tlf_gradients(FusedMlpHandle mlp, nint* parameters, nint x, nint labels, long batch, nint* gradients,
        double* output);

    [LibraryImport(Library)]
    public static partial int tlf_evaluate(FusedMlpHandle mlp, nint* parameters, nint x, nint labels, long batch, double* output);

    [LibraryImport(Library)]
    public static partial int tlf_statistics(int dtype, long batch, long classes, HeadSettings* head, nint logits, nint probabilities,
        nint predicted, nint outputGradient, nint labels, int gradientCount, nint* gradients, long* gradientLengths, double* output);

    /// <summary>Throws the native error after a call that returned <paramref name="status"/> -1. The checks in C# run first,
    /// so this only reports what they cannot know (out of memory, an internal error).</summary>
    public static void Check(int status)
    {
        if (status != 0) throw new InvalidOperationException($"the fused step failed: {LastError()}");
    }

    public static string LastError() => Marshal.PtrToStringUTF8(tlf_last_error()) ?? "unknown error";
}
