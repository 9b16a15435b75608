using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TorchLoss.Cli.Commands;

/// <summary>A shard of a study: the I-th of N.</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>The Slurm settings of `compare --slurm`.</summary>
public sealed record SlurmSettings(int Shards, string? Partition, int? GpusPerTask, string? Time);

/// <summary>How `compare` runs a study besides the plain way: its plan, one shard, the report of finished shards, or
/// Slurm scripts for the whole study.</summary>
public sealed partial class StudyDistributionOptions
{
    public readonly Option<bool> Plan = new("--plan") { Description = "List the study's runs in dependency order (phase, folder, state, shard, the train command that produces each); nothing runs." };
    public readonly Option<bool> DryRun = new("--dry-run")
    {
        Description = "As --plan, with each unfinished run's estimated time and the total: train's step is timed for a few steps per model and head on this machine first.",
    };
    public readonly Option<bool> Json = new("--json")
    {
        Description = "One JSON object per line, for scripts (no progress bars or tables): with --plan each planned run; otherwise each " +
                      "finished run (its summary.json as \"summary\"), then the study's summary.json.",
    };
    public readonly Option<ShardSpec?> Shard = new("--shard")
    {
        HelpName = "I/N",
        Description = "Run only shard I of N (I/N): its share of the runs whose inputs are ready, phase after phase; N shards may run at once on one folder.",
        CustomParser = result => ParseShard(result.Tokens.Single().Value, result),
    };
    public readonly Option<bool> Report = new("--report") { Description = "Write the report from the runs the shards finished (nothing is trained); says which runs are missing." };
    public readonly Option<bool> Slurm = new("--slurm") { Description = "Write Slurm scripts for the study (a job array of shards per phase, chained with afterok, then the report) and print the command that submits them." };
    public readonly Option<int> Shards = NumericOptions.Int("--shards", "With --slurm or --plan: the number of shards (array tasks per phase).", 4, min: 1, max: 10_000).Shows("N");
    public readonly Option<string?> Partition = new("--partition") { HelpName = "NAME", Description = "With --slurm: the partition (sbatch --partition)." };
    public readonly Option<int?> GpusPerTask = NumericOptions.OptionalInt("--gpus-per-task", "With --slurm: GPUs per shard (sbatch --gpus-per-task; pair with --device cuda).", min: 1, max: 64).Shows("N");
    public readonly Option<string?> Time = new("--time")
    {
        HelpName = "LIMIT",
        Description = "With --slurm: the time limit of each shard, in Slurm's format (MINUTES, HH:MM:SS, D-HH:MM...).",
        CustomParser = result => ParseTime(result.Tokens.Single().Value, result),
    };

    public IEnumerable<Option> All() => [Plan, DryRun, Json, Shard, Report, Slurm, Shards, Partition, GpusPerTask, Time];

    /// <summary>Refuses combinations that mean nothing: two modes at once, or settings without their mode.</summary>
    public void Validate(ParseResult parse)
    {
        var modes = new Option[] { Plan, DryRun, Shard, Report, Slurm }.Where(o => TrainOptions.Given(parse, o)).Select(o => o.Name).ToList();
        if (modes.Count > 1) throw new UserException($"choose one of {string.Join(", ", modes)}");
        if (TrainOptions.Given(parse, Json) && modes.FirstOrDefault(m => m != Plan.Name) is { } other)
            throw new UserException($"--json goes with --plan or a study run, not {other}");
        foreach (var option in new Option[] { Partition, GpusPerTask, Time })
            if (TrainOptions.Given(parse, option) && !parse.GetValue(Slurm)) throw new UserException($"{option.Name} goes with --slurm");
        if (TrainOptions.Given(parse, Shards) && !parse.GetValue(Slurm) && !parse.GetValue(Plan) && !parse.GetValue(DryRun))
            throw new UserException("--shards goes with --slurm, --plan or --dry-run");
    }

    public SlurmSettings SlurmSettings(ParseResult parse) =>
        new(parse.GetValue(Shards), parse.GetValue(Partition), parse.GetValue(GpusPerTask), parse.GetValue(Time));

    static ShardSpec? ParseShard(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && index >= 1 && index <= count)
            return new ShardSpec(index, count);
        result.AddError($"--shard: '{text}' is not I/N with 1 <= I <= N (e.g. 1/4)");
        return null;
    }

    static string? ParseTime(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        if (SlurmTime().IsMatch(text)) return text;
        result.AddError($"--time: '{text}' is not a Slurm time limit (MINUTES, MINUTES:SECONDS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)");
        return null;
    }

    [GeneratedRegex(@"^([0-9]+|[0-9]+:[0-9]{2}|[0-9]+:[0-9]{2}:[0-9]{2}|[0-9]+-[0-9]+|[0-9]+-[0-9]+:[0-9]{2}|[0-9]+-[0-9]+:[0-9]{2}:[0-9]{2})\z")]
    private static partial Regex SlurmTime();
}
