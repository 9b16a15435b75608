using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using CsvHelper;
using TorchLoss.Runtime;

namespace TorchLoss.Reporting;

/// <summary>
/// The metrics of a run in three forms: metrics.jsonl (every record, the source of truth), metrics.csv (epoch
/// rows), steps.csv (interval rows), and TensorBoard event files. Records are appended and flushed as they come,
/// so an interrupted run keeps what it logged; <see cref="Open"/> rewrites all forms from the kept records. The event
/// file also holds the run's <see cref="TensorBoardSession"/>: written first on every open, so a resumed run's one
/// file has one session start, and its end once the run ends (<see cref="EndSession"/>).
/// </summary>
public sealed class MetricsLog : IDisposable
{
    public const string JsonLinesFile = "metrics.jsonl";
    public const string EpochCsvFile = "metrics.csv";
    public const string StepsCsvFile = "steps.csv";

    readonly string directory;
    readonly StreamWriter jsonLines;
    readonly TensorBoardEventWriter events;
    readonly Dictionary<string, CsvTable> tables = new();
    readonly bool sessionOpen;
    readonly List<MetricRecord> epochs = [];
    bool sessionEnded;
    long lastStep;

    MetricsLog(string directory, IReadOnlyList<MetricRecord> keep, TensorBoardSession? session)
    {
        this.directory = directory;
        // The kept records replace the file in one rename, so a crash here cannot lose them; then it is appended to.
        AtomicFile.WriteAllText(Path.Combine(directory, JsonLinesFile), string.Concat(keep.Select(r => Json(r) + "\n")));
        jsonLines = new StreamWriter(Path.Combine(directory, JsonLinesFile), append: true);
        foreach (var old in Directory.GetFiles(directory, "events.out.tfevents.*")) File.Delete(old);
        events = new TensorBoardEventWriter(directory);
        if (session is null) return;
        events.WriteSessionStart(session.HParams, session.GroupName, session.Started);
        events.WriteText(0, TensorBoardSession.ConfigTag, session.ConfigMarkdown, session.Started);
        events.Flush();
        sessionOpen = true;
    }

    /// <summary>Opens the log of a run folder, replaying <paramref name="keep"/> (records kept on --resume). The old event
    /// files are replaced by one that starts with <paramref name="session"/> (when given) and then the kept records.</summary>
    public static MetricsLog Open(string directory, IReadOnlyList<MetricRecord>? keep = null, TensorBoardSession? session = null)
    {
        keep ??= [];
        var log = new MetricsLog(directory, keep, session);
        foreach (var record in keep) log.Keep(record);
        return log;
    }

    /// <summary>The epoch records logged so far, the kept ones included, in order (for a run's own plots, without reading
    /// the files back).</summary>
    public IReadOnlyList<MetricRecord> Epochs => epochs;

    public void Append(MetricRecord record)
    {
        jsonLines.WriteLine(Json(record));
        jsonLines.Flush();
        Keep(record);
    }

    void Keep(MetricRecord record)
    {
        if (record.Kind == MetricRecord.EpochKind) epochs.Add(record);
        WriteDerived(record);
    }

    /// <summary>Ends the session the log was opened with (nothing when it was opened without one; only once), at the last
    /// step logged. A run that stops without it (interrupted) shows in TensorBoard as one whose end is unknown.</summary>
    public void EndSession(SessionStatus status)
    {
        if (!sessionOpen || sessionEnded) return;
        events.WriteSessionEnd(status, DateTimeOffset.UtcNow, lastStep);
        events.Flush();
        sessionEnded = true;
    }

    static string Json(MetricRecord record)
    {
        var json = new JsonObject { ["kind"] = record.Kind, ["epoch"] = record.Epoch, ["step"] = record.Step };
        foreach (var (name, value) in record.Values) json[name] = double.IsFinite(value) ? JsonValue.Create(value) : null;
        return json.ToJsonString();
    }

    /// <summary>The CSV and TensorBoard forms, which can always be rebuilt from metrics.jsonl.</summary>
    void WriteDerived(MetricRecord record)
    {
        var file = record.Kind == MetricRecord.EpochKind ? EpochCsvFile : StepsCsvFile;
        if (!tables.TryGetValue(file, out var table)) tables[file] = table = new CsvTable(Path.Combine(directory, file), record);
        table.Write(record);

        lastStep = Math.Max(lastStep, record.Step);
        var prefix = record.Kind == MetricRecord.EpochKind ? "epoch" : "steps";
        events.WriteScalars(record.Step, record.Values.Where(v => double.IsFinite(v.Value))
            .Select(v => KeyValuePair.Create($"{prefix}/{v.Key}", v.Value)));
        events.Flush();
    }

    /// <summary>Reads metrics.jsonl of a run folder (missing file: no records).</summary>
    public static List<MetricRecord> Read(string directory)
    {
        var path = Path.Combine(directory, JsonLinesFile);
        var records = new List<MetricRecord>();
        if (!File.Exists(path)) return records;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var values = new List<KeyValuePair<string, double>>();
                foreach (var p in root.EnumerateObject())
                    if (p.Name is not ("kind" or "epoch" or "step"))
                        values.Add(KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.Null ? double.NaN : p.Value.GetDouble()));
                records.Add(new MetricRecord(root.GetProperty("kind").GetString()!, root.GetProperty("epoch").GetInt32(),
                    root.GetProperty("step").GetInt64(), values));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // A last line cut off by a crash is the only expected damage; everything before it is kept.
                if (!line.TrimEnd().EndsWith('}')) break;
                throw new InvalidDataException($"{path}: line {lineNumber} is not a metrics record ({e.Message})");
            }
        }
        return records;
    }

    public void Dispose()
    {
        jsonLines.Dispose();
        events.Dispose();
        foreach (var t in tables.Values) t.Dispose();
    }

    /// <summary>A CSV file whose columns are fixed by its first record.</summary>
    sealed class CsvTable : IDisposable
    {
        readonly StreamWriter writer;
        readonly CsvWriter csv;
        readonly string[] columns;

        public CsvTable(string path, MetricRecord first)
        {
            writer = new StreamWriter(path, append: false);
            csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            columns = first.Values.Select(v => v.Key).ToArray();
            csv.WriteField("epoch");
            csv.WriteField("step");
            foreach (var c in columns) csv.WriteField(c);
            csv.NextRecord();
        }

        public void Write(MetricRecord record)
        {
            csv.WriteField(record.Epoch);
            csv.WriteField(record.Step);
            foreach (var c in columns)
                csv.WriteField(record.TryGet(c, out var v) && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "");
            csv.NextRecord();
            csv.Flush();
            writer.Flush();
        }

        public void Dispose()
        {
            csv.Dispose();
            writer.Dispose();
        }
    }
}
