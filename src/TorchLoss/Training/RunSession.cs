using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using TorchLoss.Reporting;
using TorchLoss.Runs;

namespace TorchLoss.Training;

/// <summary>
/// A run as TensorBoard's HPARAMS and TEXT tabs show it. The hyperparameters are the settings of config.json under the
/// names it uses (a table's under "table."), typed as there, without those that change only speed or logging; the
/// engine is the one that ran (auto resolved). Settings that are unset (null) are left out.
/// </summary>
public static class RunSession
{
    static readonly HashSet<string> NotHParams = ["data_directory", "threads", "blas_threads", "log_every", "step_statistics"];

    public static TensorBoardSession Of(RunConfigFile file, DateTimeOffset started)
    {
        var hparams = HParams(file);
        return new TensorBoardSession(hparams, GroupName(hparams), started, Markdown(hparams, file));
    }

    /// <summary>Each value a string, a boolean or a double (a whole number above 2^53, such as a large seed, as its digits).</summary>
    public static IReadOnlyList<KeyValuePair<string, object>> HParams(RunConfigFile file)
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(file.Config, JsonFiles.Options));
        var result = new List<KeyValuePair<string, object>>();
        Flatten(json.RootElement, "", result);
        if (file.Environment.Engine is { } engine)
            result = result.Select(p => p.Key == "engine" ? KeyValuePair.Create(p.Key, (object)engine) : p).ToList();
        return result;
    }

    static void Flatten(JsonElement element, string prefix, List<KeyValuePair<string, object>> result)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = prefix + property.Name;
            if (NotHParams.Contains(name)) continue;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object: Flatten(value, name + ".", result); break;
                // A whole number past 2^53 (a large seed) has no exact double, so it keeps its digits as text.
                case JsonValueKind.Number:
                    result.Add(KeyValuePair.Create(name, value.TryGetUInt64(out var whole) && whole > 1UL << 53 ? (object)value.GetRawText() : value.GetDouble()));
                    break;
                case JsonValueKind.String: result.Add(KeyValuePair.Create(name, (object)value.GetString()!)); break;
                case JsonValueKind.True or JsonValueKind.False: result.Add(KeyValuePair.Create(name, (object)value.GetBoolean())); break;
                case JsonValueKind.Array: result.Add(KeyValuePair.Create(name, (object)value.GetRawText())); break;
            }
        }
    }

    /// <summary>A hash of the hyperparameters (as TensorBoard's own hparams API names groups): runs that differ only in
    /// their folder are one group, whose metrics the HPARAMS table aggregates.</summary>
    static string GroupName(IReadOnlyList<KeyValuePair<string, object>> hparams)
    {
        var text = string.Concat(hparams.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}\t{p.Value.GetType().Name}\t{Text(p.Value)}\n"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The hyperparameters as a table, then the whole config.json (with the environment) as code.</summary>
    static string Markdown(IReadOnlyList<KeyValuePair<string, object>> hparams, RunConfigFile file)
    {
        var md = new StringBuilder("| setting | value |\n|---|---|\n");
        foreach (var (name, value) in hparams) md.Append($"| {Cell(name)} | {Cell(Text(value))} |\n");
        var json = JsonSerializer.Serialize(file, JsonFiles.Options);
        // A fence longer than any run of backticks in the text (a path could hold some).
        var fence = new string('`', Math.Max(3, LongestBacktickRun(json) + 1));
        md.Append($"\n{RunFolder.ConfigFile}:\n\n{fence}json\n{json}\n{fence}\n");
        return md.ToString();
    }

    static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    static string Cell(string text) => text.Replace("|", "\\|");

    static int LongestBacktickRun(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text) longest = Math.Max(longest, run = c == '`' ? run + 1 : 0);
        return longest;
    }
}
