using TorchLoss.Comparison;
using TorchLoss.Reporting;
using TorchLoss.Runtime;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// Slurm scripts for a study, in STUDY/slurm: shard.sbatch (one shard of the study: `compare --shard
/// $SLURM_ARRAY_TASK_ID/N`), report.sbatch (`compare --report`) and submit.sh, which submits shard.sbatch as a job
/// array once per phase, each array after the previous one succeeded (--dependency=afterok), then the report.
/// A shard runs its share of whatever is ready when it starts, so the same array serves every phase.
/// </summary>
public static class SlurmScripts
{
    public const string Folder = Comparison.StudyFolder.SlurmDirectory;

    /// <summary>Writes the scripts; returns the command that submits them.</summary>
    public static string Write(StudyConfig config, string study, SlurmSettings slurm, IReadOnlyList<string> torchloss)
    {
        var folder = Path.Combine(Path.GetFullPath(study), Folder);
        var threads = config.Threads ?? 1;
        var compare = StudyCommandLine.For(config with { Threads = threads }, study);
        RefuseWhatAScriptCannotHold(slurm, torchloss, compare, Path.GetFullPath(study));
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        var phases = Enum.GetValues<StudyPhase>().Where(p => HasRuns(config, p)).ToList();

        Script(Path.Combine(folder, "shard.sbatch"), Header(slurm, threads, "shard", folder),
            "# One shard of the study: its share of the runs whose inputs are ready when it starts (submit.sh submits this array once per phase).",
            $"exec {TrainCommandLine.Shell([.. torchloss, .. compare])} --shard \"${{SLURM_ARRAY_TASK_ID}}/{slurm.Shards}\"");
        Script(Path.Combine(folder, "report.sbatch"), Header(slurm with { GpusPerTask = null }, threads, "report", folder),
            "# The report of the finished study (nothing is trained).",
            $"exec {TrainCommandLine.Shell([.. torchloss, .. compare])} --report");

        var submit = new List<string>
        {
            "#!/bin/sh",
            $"# Submits the study in {Path.GetFullPath(study)}: {string.Join(", ", phases.Select(p => p.Slug()))}, " +
            $"each a job array of {slurm.Shards} shard(s) that starts after the previous phase succeeded, then the report.",
            "set -eu",
            "cd \"$(dirname \"$0\")\"",
        };
        string? previous = null;
        foreach (var (phase, i) in phases.Select((p, i) => (p, i + 1)))
        {
            var dependency = previous is null ? "" : $" --dependency=afterok:${previous}";
            submit.Add($"phase{i}=$(sbatch --parsable --array=1-{slurm.Shards}{dependency} --job-name=torchloss-{phase.Slug()} shard.sbatch)");
            submit.Add($"echo \"phase {i} ({phase.Slug()}): job array $phase{i}\"");
            previous = $"phase{i}";
        }
        submit.Add($"report=$(sbatch --parsable --dependency=afterok:${previous} report.sbatch)");
        submit.Add("echo \"report: job $report\"");
        Script(Path.Combine(folder, "submit.sh"), submit.ToArray());
        return TrainCommandLine.Shell(["sh", Path.Combine(folder, "submit.sh")]);
    }

    /// <summary>The sbatch commands submit.sh runs, as written in it.</summary>
    public static IEnumerable<string> SbatchLines(string study) =>
        File.ReadLines(Path.Combine(Path.GetFullPath(study), Folder, "submit.sh")).Where(l => l.Contains("sbatch ", StringComparison.Ordinal));

    static bool HasRuns(StudyConfig config, StudyPhase phase)
    {
        var plan = new StudyPlan(config);
        var arms = plan.Arms();
        return phase switch
        {
            StudyPhase.Tuning => true,
            StudyPhase.Arms => arms.Any(a => a.Kind != ArmKind.FineTune),
            _ => arms.Any(a => a.Kind == ArmKind.FineTune),
        };
    }

    static string[] Header(SlurmSettings slurm, int threads, string name, string folder)
    {
        var lines = new List<string>
        {
            "#!/bin/bash",
            Directive("chdir", Environment.CurrentDirectory),
            // %% is a literal % in a Slurm file name; %A and %a are the array job and task.
            Directive("output", Path.Combine(folder, "logs").Replace("%", "%%") + $"/{name}-%A_%a.out"),
            Directive("cpus-per-task", $"{threads}"),
        };
        if (slurm.Partition is { } partition) lines.Add(Directive("partition", partition));
        if (slurm.GpusPerTask is { } gpus) lines.Add(Directive("gpus-per-task", $"{gpus}"));
        if (slurm.Time is { } time) lines.Add(Directive("time", time));
        return lines.ToArray();
    }

    /// <summary>"#SBATCH --NAME=VALUE", the value in double quotes where it holds more than letters, digits and -_.,:/=+@%:
    /// sbatch reads a directive's words as a shell would split them, with quotes and backslash escapes, and from an
    /// unquoted # on as a comment.</summary>
    static string Directive(string name, string value) =>
        value.Length > 0 && value.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_.,:/=+@%".Contains(ch))
            ? $"#SBATCH --{name}={value}"
            : $"#SBATCH --{name}=\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";

    /// <summary>Every value that goes into the scripts, checked before any is written: a control character would end a
    /// line of a script early (a newline in --partition made the rest of it a command that bash runs, and dropped the
    /// #SBATCH lines after it), so it is refused wherever it comes from. A backslash in the log folder is refused too:
    /// sbatch then takes the whole --output literally, %A and %a included.</summary>
    static void RefuseWhatAScriptCannotHold(SlurmSettings slurm, IReadOnlyList<string> torchloss, IReadOnlyList<string> compare, string study)
    {
        var values = new List<(string What, string Value)>
        {
            ("the current directory", Environment.CurrentDirectory),
            ("--partition", slurm.Partition ?? ""),
            ("--time", slurm.Time ?? ""),
        };
        values.AddRange(torchloss.Select(word => ("the path of this torchloss", word)));
        values.AddRange(compare.Select((word, i) => (i > 0 && compare[i - 1].StartsWith("--", StringComparison.Ordinal) ? compare[i - 1] : word, word)));
        foreach (var (what, value) in values)
            if (PrintableText.FirstControl(value) is { } c)
                throw new UserException($"{what}: '{PrintableText.Escape(value)}' holds a control character (U+{(int)c:X4}), which a Slurm script cannot hold");
        if (study.Contains('\\'))
            throw new UserException($"--out: {study} holds a backslash, which makes sbatch read the log file name literally (no %A or %a): choose another folder for --slurm");
    }

    static void Script(string path, string[] head, params string[] body) => Script(path, [.. head, .. body]);

    static void Script(string path, string[] lines)
    {
        AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
