using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using TorchLoss.Runtime;

namespace TorchLoss.Tests;

static class TestProcessStart
{
    /// <summary>The test process starts as the CLI does: some tests call TorchSharp before any TorchLoss code runs, and
    /// oneMKL's reproducibility mode (MKL_CBWR) is fixed by its first computation.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The test host has no Main to do this in.")]
    internal static void Run() => TorchRuntime.Initialize();
}
