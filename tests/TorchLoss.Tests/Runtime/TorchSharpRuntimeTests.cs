using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Runtime;

[Collection(SerialCollection.Name)]
public sealed class TorchSharpRuntimeTests
{
    [Fact]
    public void TorchSharpLoadsByItsNormalPathWithoutTheCopiedFallbackFolder()
    {
        TorchRuntime.Initialize();
        using var x = torch.ones(3);
        Assert.Equal(3.0, x.sum().ToDouble());
        var output = AppContext.BaseDirectory;
        // TorchSharp copies ~0.5 GB of natives into cpu/ and retries from there when its normal load fails.
        Assert.False(Directory.Exists(Path.Combine(output, "cpu")), $"{output}cpu exists: TorchSharp fell back to copying its natives");
        var mapped = File.ReadLines("/proc/self/maps").Where(l => l.EndsWith("libLibTorchSharp.so")).Select(l => l[(l.IndexOf('/'))..]).Distinct().ToList();
        Assert.Single(mapped);
        Assert.DoesNotContain($"{Path.DirectorySeparatorChar}cpu{Path.DirectorySeparatorChar}", mapped[0]);
    }

    [Fact]
    public void LibTorchSharpAsksTheHostOnlyForLibstdcxxVersionsItHasOrAsWeak()
    {
        var loaded = File.ReadLines("/proc/self/maps").Where(l => l.EndsWith("libLibTorchSharp.so")).Select(l => l[(l.IndexOf('/'))..]).First();
        var host = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.FirstOrDefault(File.Exists);
        Assert.NotNull(host);
        var hostHasIt = File.ReadAllText(host!).Contains("GLIBCXX_3.4.32");
        // Where the host lacks the version, the loaded copy must be the build's private one (under obj/), not the package's.
        if (!hostHasIt) Assert.Contains("libtorchsharp-loader-fix", Path.GetFullPath(ResolveLinks(loaded)));
    }

    static string ResolveLinks(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    [Fact]
    public void OpenMpWaitsPassivelyUnlessTheUserSaidOtherwise()
    {
        TorchRuntime.Initialize();
        var user = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        Assert.Equal(user ?? "PASSIVE", TorchRuntime.NativeEnvironment("OMP_WAIT_POLICY"));
    }

    [Fact]
    public void SeedsGiveWhatPyTorchGivesForTheSameSeed()
    {
        // PyTorch: torch.manual_seed(0); torch.randn(5) and torch.rand(3); nn.Linear(1, 1) after torch.manual_seed(0).
        TorchRuntime.ManualSeed(0);
        Torch.TensorAssert.Close([1.5410, -0.2934, -2.1788, 0.5684, -1.0845], torch.randn(5), 1e-4);
        TorchRuntime.ManualSeed(0);
        Torch.TensorAssert.Close([0.4963, 0.7682, 0.0885], torch.rand(3), 1e-4);
        TorchRuntime.ManualSeed(0);
        using var linear = nn.Linear(1, 1);
        Torch.TensorAssert.Close([-0.0075], linear.weight!, 1e-4);
        Torch.TensorAssert.Close([0.5364], linear.bias!, 1e-4);
    }

    [Fact]
    public void ASecondInteropThreadCountIsRefusedInsteadOfAbortingTheProcess()
    {
        var current = TorchRuntime.InteropThreads;
        if (current is null)
        {
            TorchRuntime.InteropThreads = 1;
            current = 1;
        }
        TorchRuntime.InteropThreads = current; // the same value again is fine
        Assert.Throws<InvalidOperationException>(() => TorchRuntime.InteropThreads = current + 1);
    }

    [Fact]
    public void AnUnavailableDeviceIsOneClearError()
    {
        Assert.Equal("cuda:1", Devices.Parse("CUDA:1").Name());
        Assert.Throws<FormatException>(() => Devices.Parse("gpu"));
        if (TorchRuntime.CudaIsAvailable) return;
        var e = Assert.Throws<DeviceUnavailableException>(() => Devices.Parse("cuda").EnsureAvailable());
        Assert.Contains("CUDA is not available", e.Message);
    }

    [Fact]
    public void TheBlasIsLibtorchsMklAndItsThreadCountCanBeSetPerThread()
    {
        Assert.Contains("Math Kernel Library", TorchRuntime.BlasName);
        Assert.NotEqual(0, Blas.Sgemm);
        Assert.NotEqual(0, Blas.Dgemm);
        var before = Blas.Threads;
        try
        {
            Assert.True(Blas.SetThreadsOnThisThread(1));
            Assert.Equal(1, Blas.Threads);
        }
        finally
        {
            Blas.SetThreadsOnThisThread(0);
        }
        Assert.Equal(before, Blas.Threads);
    }
}
