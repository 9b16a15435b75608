using System.Globalization;
using System.Reflection;
using TorchLoss.Comparison;

namespace TorchLoss.Cli.Commands;

/// <summary>The `torchloss compare` arguments that describe a study completely (every setting `compare` takes, the
/// preset for the rest, an absolute --out), for commands that run elsewhere: Slurm jobs, another shell.</summary>
public static class StudyCommandLine
{
    public static List<string> For(StudyConfig c, string folder)
    {
        static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);
        var args = new List<string> { "compare" };
        if (c.Preset is "quick" or "full") args.Add($"--{c.Preset}");
        args.AddRange([
            "--dataset", c.Dataset, "--heads", string.Join(',', c.Heads), "--models", string.Join(';', c.Models),
            "--seeds", $"{c.Seeds}", "--epochs", $"{c.Epochs}", "--fine-tune-epochs", $"{c.FineTuneEpochs}",
            "--init-scales", string.Join(',', c.InitScales.Select(Number)), "--lr-grid", string.Join(',', c.LearningRates.Select(Number)),
            "--tuning-epochs", $"{c.TuningEpochs}", "--target-accuracy", Number(c.TargetAccuracy), "--device", c.Device, "--engine", c.Engine,
        ]);
        if (c.TrainLimit is { } limit) args.AddRange(["--train-limit", $"{limit}"]);
        if (c.ValidationSize is { } validation) args.AddRange(["--validation-size", $"{validation}"]);
        foreach (var (head, rates) in c.HeadLearningRates ?? new Dictionary<string, IReadOnlyList<double>>())
            args.AddRange(["--lr-grid-for", $"{head}={string.Join(',', rates.Select(Number))}"]);
        if (c.TrueClassWeight != 1) args.AddRange(["--true-class-weight", Number(c.TrueClassWeight)]);
        if (c.TrueClassTarget != 1) args.AddRange(["--true-class-target", Number(c.TrueClassTarget)]);
        if (c.Momentum != StudyConfig.Default.Momentum) args.AddRange(["--momentum", Number(c.Momentum)]);
        if (c.WeightDecay != 0) args.AddRange(["--weight-decay", Number(c.WeightDecay)]);
        if (c.LabelNoise != 0) args.AddRange(["--label-noise", Number(c.LabelNoise)]);
        if (c.TuningSeeds != 1) args.AddRange(["--tuning-seeds", $"{c.TuningSeeds}"]);
        if (c.Schedule.Trim().ToLowerInvariant() != "constant") args.AddRange(["--schedule", c.Schedule]);
        if (c.Table is { } table) args.AddRange(TrainCommandLine.TableArguments(table, Data.Tables.TableDatasets.IsFile(c.Dataset)));
        if (c.Threads is { } threads) args.AddRange(["--threads", $"{threads}"]);
        if (c.BlasThreads is { } blas) args.AddRange(["--blas-threads", $"{blas}"]);
        if (c.DataDirectory is { } data) args.AddRange(["--data-dir", Path.GetFullPath(data)]);
        args.AddRange(["--out", Path.GetFullPath(folder)]);
        return args;
    }

    /// <summary>How to start this same torchloss from a script: the app host, or `dotnet torchloss.dll`.</summary>
    public static List<string> Executable()
    {
        var process = Environment.ProcessPath ?? "torchloss";
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && entry is { Length: > 0 } ? [process, entry] : [process];
    }
}
