using TorchLoss.Reporting;

namespace TorchLoss.Tests.Reporting;

/// <summary>The run's HParams session and config text in its event file, and what a reopened (resumed) log keeps.</summary>
public class MetricsLogSessionTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("torchloss-log-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly DateTimeOffset Started = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    static TensorBoardSession Session => new([KeyValuePair.Create("head", (object)"softmax-ce"), KeyValuePair.Create("learning_rate", (object)0.1)],
        "g", Started, "| setting | value |\n");

    static MetricRecord Epoch(int epoch, double error) =>
        new(MetricRecord.EpochKind, epoch, epoch * 10L, [KeyValuePair.Create("validation_error", error)]);

    static List<string> Tags(List<EventFile.Event> events) => events.SelectMany(e => e.Values).Select(v => v.Tag).ToList();

    [Fact]
    public void TheSessionStartAndConfigComeFirstAndTheEndLast()
    {
        using (var log = MetricsLog.Open(dir, session: Session))
        {
            log.Append(Epoch(0, 0.9));
            log.Append(Epoch(1, 0.5));
            log.EndSession(SessionStatus.Success);
            log.EndSession(SessionStatus.Failure); // once only
        }
        var events = EventFile.ReadFolder(dir);
        Assert.Equal(["_hparams_/session_start_info", "config", "epoch/validation_error", "epoch/validation_error", "_hparams_/session_end_info"],
            Tags(events));
        var text = events[2].Values.Single();
        Assert.Equal((0L, "| setting | value |\n"), (events[2].Step, text.Tensor!.String(8)));
        var end = events[^1];
        Assert.Equal(10, end.Step);
        Assert.Equal(1UL, end.Values.Single().PluginContent.Message(4).Varint(1));
    }

    [Fact]
    public void AReopenedLogHasOneSessionStartAndNoEndUntilItEndsAgain()
    {
        using (var log = MetricsLog.Open(dir, session: Session))
        {
            log.Append(Epoch(0, 0.9));
            log.Append(Epoch(1, 0.5));
            log.EndSession(SessionStatus.Success);
        }
        // --resume keeps epoch 0 and reopens with the same session.
        using (var log = MetricsLog.Open(dir, [Epoch(0, 0.9)], Session))
        {
            var reopened = EventFile.ReadFolder(dir);
            Assert.Equal(["_hparams_/session_start_info", "config", "epoch/validation_error"], Tags(reopened));
            var start = reopened[1].Values.Single().PluginContent.Message(3);
            Assert.Equal(1_750_000_000.0, start.Double(5));
            Assert.Equal(new Dictionary<string, object> { ["head"] = "softmax-ce", ["learning_rate"] = 0.1 }, EventFile.HParams(start));
            log.Append(Epoch(1, 0.4));
            log.EndSession(SessionStatus.Failure);
        }
        var events = EventFile.ReadFolder(dir);
        Assert.Single(Tags(events), "_hparams_/session_start_info");
        Assert.Equal(2UL, Assert.Single(events.SelectMany(e => e.Values), v => v.Tag == "_hparams_/session_end_info").PluginContent.Message(4).Varint(1));
        Assert.Equal([0.9f, 0.4f], events.SelectMany(e => e.Values).Where(v => v.SimpleValue is not null).Select(v => v.SimpleValue!.Value));
    }

    [Fact]
    public void ALogOpenedWithoutASessionWritesNoPluginSummaries()
    {
        using (var log = MetricsLog.Open(dir))
        {
            log.Append(Epoch(0, 0.9));
            log.EndSession(SessionStatus.Success);
        }
        Assert.Equal(["epoch/validation_error"], Tags(EventFile.ReadFolder(dir)));
    }
}
