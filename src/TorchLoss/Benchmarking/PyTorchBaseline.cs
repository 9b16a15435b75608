using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TorchLoss.Benchmarking;

/// <summary>Runs benchmarks/pytorch/train_mlp.py (the same model, step and data handling in PyTorch) for a batch
/// size and reads the best steps/s over its thread settings from the JSON line it prints last.</summary>
public static class PyTorchBaseline
{
    /// <summary>The intra-op thread counts PyTorch is tried with: 1, 2, 4, ... up to and including the core count.</summary>
    public static IReadOnlyList<int> ThreadCounts(int cores)
    {
        var counts = new List<int>();
        for (var t = 1; t < cores; t *= 2) counts.Add(t);
        counts.Add(Math.Max(1, cores));
        return counts;
    }

    public static string ScriptPath(string checkout) => Path.Combine(checkout, "benchmarks", "pytorch", "train_mlp.py");

    public static PyTorchResult Run(string python, string script, int batch, int steps, int repetitions, IReadOnlyList<int> threads)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--batch", batch.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture),
                     "--repeats", repetitions.ToString(CultureInfo.InvariantCulture), "--threads" }.Concat(threads.Select(t => t.ToString(CultureInfo.InvariantCulture))))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new IOException($"the PyTorch baseline failed ({python} {script}): {stderr.Result.Trim().Split('\n').LastOrDefault()}");
        var last = output.Trim().Split('\n')[^1];
        try
        {
            var json = JsonDocument.Parse(last).RootElement;
            return new PyTorchResult(batch, json.GetProperty("torch").GetString()!, json.GetProperty("best_threads").GetInt32(),
                json.GetProperty("best_steps_per_second").GetDouble());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new IOException($"the PyTorch baseline printed no result line: {last}");
        }
    }
}
