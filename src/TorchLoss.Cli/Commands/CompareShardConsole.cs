using TorchLoss.Comparison;
using TorchLoss.Data;
using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>`compare --shard I/N` and `compare --report`: one shard's share of a study, and the report once the shards
/// are done.</summary>
public static class CompareShardConsole
{
    public static int RunShard(StudyConfig config, string folder, ShardSpec shard, DataCommandServices services, CancellationToken cancellationToken)
    {
        var output = services.Output;
        // Shared with the other shards; a plain `compare` of the same folder (exclusive) waits for them, and they for it.
        StudyFolder.RequireUsable(folder);
        using var claim = FolderLock.AcquireShared(folder, "study folder");
        using var data = TrainingData.Load(CompareConsole.StudyData(config), services.Store(config.DataDirectory), cancellationToken: cancellationToken);
        output.WriteLine($"compare shard {shard} of {Path.GetFullPath(folder)}");
        var (schedule, trained, elsewhere) = Study.RunShard(config, folder, data, shard.Index, shard.Count, new CompareConsole.LineObserver(output, cancellationToken));
        var mine = schedule.Steps.Where(s => s.Shard(shard.Count) == shard.Index).ToList();
        var waiting = mine.Count(s => s.Status != StepStatus.Finished);
        output.WriteLine($"shard {shard}: trained {trained} run(s); {mine.Count - waiting} of its {mine.Count} runs finished" +
                         (elsewhere > 0 ? $", {elsewhere} being written by another process" : "") +
                         (waiting > 0 ? $"; {waiting} wait for other shards' runs: run this shard again once they are done" : "") +
                         (schedule.IsFinished ? "; the study is complete: `compare --report` writes its report" : ""));
        return ExitCodes.Ok;
    }

    /// <summary>The report of a study whose runs are all finished (they are reused, nothing is trained); otherwise one line
    /// naming what is missing (exit 2).</summary>
    public static int Report(StudyConfig config, string folder, string reproduce, DataCommandServices services, bool png, CancellationToken cancellationToken)
    {
        var missing = StudySchedule.Read(config, folder).Steps.Where(s => s.Status != StepStatus.Finished).ToList();
        if (missing.Count > 0)
            throw new UserException($"{missing.Count} run(s) of the study are not finished ({string.Join(", ", missing.Take(3).Select(s => s.Run.Folder))}" +
                                    $"{(missing.Count > 3 ? ", ..." : "")}): run the remaining shards first; `compare --plan` shows each run's state");
        return CompareConsole.Run(config, folder, reproduce, services, png: png, cancellationToken: cancellationToken);
    }
}
