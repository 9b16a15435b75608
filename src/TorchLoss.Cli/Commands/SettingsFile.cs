using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TorchLoss.Comparison;
using TorchLoss.Reporting;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// A --config file: settings in JSON or YAML (.yaml, .yml) with the keys of a run's config.json (snake_case), either at
/// the top level or under "config", so a run's config.json (and a study's summary.json) works as one. An unknown key or
/// a value of the wrong kind is one line naming it.
/// </summary>
public static class SettingsFile
{
    /// <summary>What a settings file may not hold, for --help.</summary>
    public static readonly string Rules = $"Each key once; no YAML anchors or aliases; nested at most {YamlSettings.MaxDepth} levels deep.";

    static readonly JsonSerializerOptions strict = new(JsonFiles.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Settings of `train`; a run's config.json gives the settings it ran with (its engine included).</summary>
    public static TrainConfig ReadTrain(string path)
    {
        var root = Load(path);
        if (root["config"] is JsonObject && root["environment"] is JsonObject)
            return Deserialize<RunConfigFile>(root, path, ignoreUnknown: true).EffectiveConfig;
        return Deserialize<TrainConfig>(Settings(root), path);
    }

    /// <summary>Settings of `compare`; a study's summary.json gives the study's.</summary>
    public static StudyConfig ReadStudy(string path) => Deserialize<StudyConfig>(Settings(Load(path)), path);

    static JsonObject Settings(JsonObject root) => root["config"] is JsonObject nested ? nested : root;

    static JsonObject Load(string path)
    {
        var full = PathOptions.RegularFile(path, "--config");
        var text = File.ReadAllText(full);
        JsonNode? node;
        try
        {
            node = Path.GetExtension(full).ToLowerInvariant() is ".yaml" or ".yml" ? YamlSettings.Read(text, $"--config {path}") : JsonNode.Parse(text, documentOptions: json);
        }
        catch (JsonException e) when (DuplicateKey(e) is { } key)
        {
            throw new UserException($"--config {path}: '{key}' is given twice");
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new UserException($"--config {path}: not valid {(e is JsonException ? "JSON" : "YAML")} ({FirstLine(e.Message)})");
        }
        return node as JsonObject ?? throw new UserException($"--config {path}: expected settings (key: value pairs) at the top level");
    }

    /// <summary>A key given twice is refused, not read as the last one, in JSON as in YAML.</summary>
    static readonly JsonDocumentOptions json = new() { AllowDuplicateProperties = false };

    /// <summary>The key System.Text.Json names in its duplicate-property error ("Duplicate property 'x' encountered..."), or null.</summary>
    static string? DuplicateKey(JsonException e) =>
        e.Message.StartsWith("Duplicate property '", StringComparison.Ordinal) && e.Message.IndexOf('\'', 20) is > 20 and var end
            ? e.Message[20..end]
            : null;

    static T Deserialize<T>(JsonNode node, string path, bool ignoreUnknown = false)
    {
        try
        {
            return node.Deserialize<T>(ignoreUnknown ? JsonFiles.Options : strict)
                   ?? throw new UserException($"--config {path}: no settings");
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 2 } p ? $" at '{p.TrimStart('$', '.')}'" : "";
            throw new UserException($"--config {path}{where}: {Reason(e)}");
        }
    }

    static string Reason(JsonException e) => e.Message switch
    {
        var m when m.Contains("could not be mapped", StringComparison.Ordinal) => $"unknown setting ({FirstLine(m)})",
        var m when m.Contains("could not be converted", StringComparison.Ordinal) => "a value of the wrong kind (a number, text, true/false or a list is expected there)",
        var m => FirstLine(m),
    };

    static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
