using System.Text.Json;
using System.Text.Json.Nodes;
using TorchLoss.Comparison;

namespace TorchLoss.Cli.Commands;

/// <summary>`compare --plan`: every run of the study in dependency order, with its state, its shard and the train
/// command that produces it. An arm's learning rate is that of its tuning, so it reads "&lt;tuned&gt;" until then.</summary>
public static class ComparePlanConsole
{
    public const string TunedPlaceholder = "<tuned>";

    public static int Print(StudyConfig config, string folder, int shards, bool json, TextWriter output) =>
        Print(config, StudySchedule.Read(config, folder), folder, shards, json, output, estimate: null);

    /// <summary>`compare --dry-run`: the plan with each unfinished run's estimated time, then the totals.</summary>
    public static int DryRun(StudyConfig config, string folder, int shards, TextWriter output, DataCommandServices services,
        CancellationToken cancellationToken)
    {
        using var data = Training.TrainingData.Load(CompareConsole.StudyData(config), services.Store(config.DataDirectory), cancellationToken: cancellationToken);
        var schedule = StudySchedule.Read(config, folder, data.TableProvenance);
        var estimate = StudyEstimate.Of(config, schedule, data);
        Print(config, schedule, folder, shards, json: false, output, estimate);
        var unfinished = schedule.Steps.Count(s => s.Status != StepStatus.Finished);
        var phases = estimate.SecondsByPhase.Where(p => p.Value > 0).Select(p => $"{p.Key.Slug()} {Duration(p.Value)}");
        output.WriteLine($"estimated time on this machine: {Duration(estimate.TotalSeconds)} for {unfinished} unfinished run(s)" +
                         (unfinished > 0 ? $" ({string.Join(", ", phases)})" : "") +
                         $"; train's step timed for {estimate.CalibrationSteps} steps per model and head. This machine's speed drifts by tens of percent.");
        return ExitCodes.Ok;
    }

    static string Duration(double seconds) => seconds switch
    {
        < 1 => "under 1 s",
        < 60 => $"{seconds:F0} s",
        < 3600 => $"{(int)(seconds / 60)} min {(int)(seconds % 60)} s",
        _ => $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60)} min",
    };

    static int Print(StudyConfig config, StudySchedule schedule, string folder, int shards, bool json, TextWriter output, StudyEstimate? estimate)
    {
        var study = Path.GetFullPath(folder);
        if (!json)
        {
            var counts = Enum.GetValues<StepStatus>().Select(s => $"{schedule.Steps.Count(x => x.Status == s)} {s.ToString().ToLowerInvariant()}");
            output.WriteLine($"compare plan for {study}: {schedule.Steps.Count} runs in {schedule.Steps.Select(s => s.Phase).Distinct().Count()} phases " +
                             $"({string.Join(", ", counts)}), {shards} shard(s)");
        }
        StudyPhase? phase = null;
        foreach (var step in schedule.Steps)
        {
            var command = Command(config, study, step);
            if (json)
            {
                output.WriteLine(new JsonObject
                {
                    ["phase"] = step.Phase.Slug(),
                    ["index_in_phase"] = step.IndexInPhase,
                    ["folder"] = step.Run.Folder,
                    ["status"] = step.Status.ToString().ToLowerInvariant(),
                    ["waits_for"] = step.WaitsFor,
                    ["shard"] = step.Shard(shards),
                    ["command"] = new JsonArray(command.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                continue;
            }
            if (step.Phase != phase) output.WriteLine($"phase {(int)step.Phase}, {Name(step.Phase)}:");
            phase = step.Phase;
            var state = step.Status == StepStatus.Waiting ? $"waits for {step.WaitsFor}" : step.Status.ToString().ToLowerInvariant();
            var time = estimate is not null && estimate.SecondsByFolder.TryGetValue(step.Run.Folder, out var s) ? $", about {Duration(s)}" : "";
            output.WriteLine($"  {step.Run.Folder}  [{state}, shard {step.Shard(shards)}/{shards}{time}]");
            output.WriteLine($"    torchloss {TrainCommandLine.Shell(command)}");
        }
        return ExitCodes.Ok;
    }

    static string Name(StudyPhase phase) => phase switch
    {
        StudyPhase.Tuning => "tuning (learning rates on validation)",
        StudyPhase.Arms => "arms (each head from random weights, the init-scale sweep)",
        _ => "fine-tuning (from the cross-entropy arm's weights)",
    };

    /// <summary>The train command of a step, with the study's data folder; "&lt;tuned&gt;" for a rate not chosen yet.</summary>
    public static List<string> Command(StudyConfig config, string study, StudyStep step)
    {
        var run = step.Run;
        var runsDirectory = Path.GetDirectoryName(Path.Combine(study, run.Folder))!;
        var args = TrainCommandLine.For(run.Config with { DataDirectory = config.DataDirectory is { } d ? Path.GetFullPath(d) : null },
            runsDirectory, Path.GetFileName(run.Folder)).ToList();
        var lr = args.IndexOf("--lr");
        if (double.IsNaN(run.Config.LearningRate)) args[lr + 1] = TunedPlaceholder;
        return args;
    }
}
