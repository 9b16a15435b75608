using System.Text.Json;
using System.Text.Json.Nodes;
using TorchLoss.Comparison;

namespace TorchLoss.Cli.Commands;

/// <summary>`compare --plan`: every run of the study in dependency order, with its state, its shard and the train
/// command that produces it. An arm's learning rate is that of its tuning, so it reads "&lt;tuned&gt;" until then.</summary>
public static class ComparePlanConsole
{
    public const string TunedPlaceholder = "<tuned>";

    public static int Print(StudyConfig config, string folder, int shards, bool json, TextWriter output)
    {
        var schedule = StudySchedule.Read(config, folder);
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
            output.WriteLine($"  {step.Run.Folder}  [{state}, shard {step.Shard(shards)}/{shards}]");
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
