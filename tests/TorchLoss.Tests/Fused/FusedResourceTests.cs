using System.Diagnostics;
using TorchLoss.Fused;
using TorchSharp;
using static TorchSharp.torch;
using static TorchLoss.Tests.Fused.FusedModels;

namespace TorchLoss.Tests.Fused;

/// <summary>
/// What the fused engine holds of the process: memory, threads (its workers are named "torchloss-fused") and CPU time
/// while idle, and which libtorch it uses. Serial: these read process-wide counters and set libtorch's thread count.
/// </summary>
[Collection(SerialCollection.Name)]
public class FusedResourceTests
{
    const string WorkerName = "torchloss-fused";

    /// <summary>The engine's worker threads as (thread id, CPU ticks used so far).</summary>
    static Dictionary<string, long> Workers()
    {
        var workers = new Dictionary<string, long>();
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != WorkerName) continue;
                // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                workers[Path.GetFileName(task)] = long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (IOException)
            {
                // the thread ended while being read
            }
        }
        return workers;
    }

    static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>
    /// 6,000 steps (with momentum and statistics) of a 32-64-64-10 model, with gradients every other step and evaluations,
    /// the batch size alternating between 32 and 31: the resident set may grow by at most 16 MiB after a 3,000-step warm-up
    /// (the runtime's heaps settle by then). Each Gradients call allocates six tensors of 25 KiB in all, so leaking them
    /// would add over 70 MiB, and leaking any per-call native buffer of the batch's size (8 KiB) over 45 MiB.
    /// </summary>
    [Fact]
    public void NativeMemoryStaysFlatOverManySteps()
    {
        const long boundBytes = 16L << 20;
        var widths = Widths("32-64-64-10");
        using var model = Mlp(widths, FusedActivation.Sigmoid, ScalarType.Float32, seed: 1);
        using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy), 2);
        using var data = torch.NewDisposeScope();
        var batches = new[] { MakeBatch(32, 32, 10, ScalarType.Float32, seed: 2), MakeBatch(31, 32, 10, ScalarType.Float32, seed: 3) };
        var buffers = model.parameters().Select(p => torch.zeros_like(p)).ToList();
        var sgd = new FusedSgd(0.01, 0.9, 0, 1e-4, false);
        var output = new double[mlp.OutputLength];

        void Steps(int n)
        {
            for (var i = 0; i < n; i++)
            {
                using var scope = torch.NewDisposeScope();
                var batch = batches[i % 2];
                mlp.Step(batch.X, batch.Y, buffers, i == 0, sgd, statistics: true, output);
                if (i % 2 == 0) mlp.Gradients(batch.X, batch.Y, output);
                if (i % 7 == 0) mlp.Evaluate(batch.X, batch.Y);
            }
        }

        Steps(3_000);
        var warm = ResidentBytes();
        Steps(6_000);
        var end = ResidentBytes();
        Assert.True(double.IsFinite(output[FusedMlp.LossSum]));
        Assert.True(end - warm < boundBytes, $"resident memory grew by {(end - warm) / (1 << 20)} MiB over 6,000 steps (bound {boundBytes >> 20} MiB)");
    }

    [Fact]
    public void AnEngineStartsThreadsMinusOneWorkersAndDisposeEndsThem()
    {
        using var model = Mlp(Widths("6-5-4"), FusedActivation.Tanh, ScalarType.Float64, seed: 1);
        var before = Workers().Keys.ToHashSet();
        var engines = new List<FusedMlp>();
        try
        {
            for (var i = 0; i < 50; i++) engines.Add(FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy), 3));
            Assert.Equal(before.Count + 100, Workers().Count);
            engines.Add(FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy), 1));
            Assert.Equal(before.Count + 100, Workers().Count);
        }
        finally
        {
            foreach (var e in engines) e.Dispose();
        }
        Assert.Equal(before, Workers().Keys.ToHashSet());
    }

    /// <summary>Between steps the workers block: half a second idle after a burst of steps costs them no CPU time.</summary>
    [Fact]
    public void IdleWorkersDoNotSpin()
    {
        var widths = Widths("64-64-10");
        using var model = Mlp(widths, FusedActivation.ReLU, ScalarType.Float32, seed: 1);
        var before = Workers().Keys.ToHashSet();
        using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy), 3);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(64, 64, 10, ScalarType.Float32, seed: 2);
        var output = new double[mlp.OutputLength];
        for (var i = 0; i < 300; i++) mlp.Step(batch.X, batch.Y, null, false, new FusedSgd(0.01, 0, 0, 0, false), true, output);
        var mine = Workers().Where(w => !before.Contains(w.Key)).ToDictionary();
        Assert.Equal(2, mine.Count);
        Thread.Sleep(500);
        var after = Workers();
        foreach (var (id, ticks) in mine)
            Assert.True(after[id] - ticks <= 1, $"worker {id} used {after[id] - ticks} ticks (1/100 s) while idle");
    }

    /// <summary>libtorch may be set to several threads while the fused step runs: its BLAS calls must still run on the calling
    /// engine thread only, never opening OpenMP teams of their own (which would spin against the engine's threads). A thread
    /// inherits its creator's name, so such a team would show as more threads named as the workers.</summary>
    [Fact]
    public void BlasCallsInsideAStepStartNoThreadsOfTheirOwn()
    {
        var previous = torch.get_num_threads();
        try
        {
            torch.set_num_threads(2);
            var widths = Widths("784-256-256-10");
            using var model = Mlp(widths, FusedActivation.Sigmoid, ScalarType.Float32, seed: 1);
            using var scope = torch.NewDisposeScope();
            var batch = MakeBatch(128, 784, 10, ScalarType.Float32, seed: 2);
            using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy), 2);
            Assert.True(mlp.UsesBlas);
            var workers = Workers().Count;
            var output = new double[mlp.OutputLength];
            for (var i = 0; i < 20; i++) mlp.Step(batch.X, batch.Y, null, false, new FusedSgd(0.01, 0, 0, 0, false), true, output);
            Assert.Equal(workers, Workers().Count);
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }

    /// <summary>The BLAS comes from the libtorch_cpu that TorchSharp loaded, not from a second copy.</summary>
    [Fact]
    public void OnlyOneLibtorchIsLoaded()
    {
        using var model = Mlp(Widths("6-5-4"), FusedActivation.Tanh, ScalarType.Float32, seed: 1);
        using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy), 1);
        Assert.True(mlp.UsesBlas);
        var libraries = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6 && Path.GetFileName(f[5]).StartsWith("libtorch_cpu", StringComparison.Ordinal))
            .Select(f => f[4])  // inode
            .Distinct()
            .ToList();
        Assert.Single(libraries);
    }
}
