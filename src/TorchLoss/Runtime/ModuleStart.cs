using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace TorchLoss.Runtime;

static class ModuleStart
{
    /// <summary>
    /// Sets the native environment (<see cref="TorchRuntime.Initialize"/>) as soon as any TorchLoss code runs: oneMKL reads
    /// MKL_CBWR once, at its first computation, so a user's own TorchSharp call between loading TorchLoss and its first
    /// entry point would otherwise fix the mode for the whole process.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Only sets environment variables; it must precede oneMKL's first computation.")]
    internal static void Run() => TorchRuntime.Initialize();
}
