using System.Text.Json;
using System.Text.Json.Nodes;

namespace TorchLoss.Training;

/// <summary>config.json. <paramref name="FormatVersion"/> is 2 for runs on TorchSharp; files without one were written by
/// the old libtorch 1.13 binding (version 1), which cannot be resumed and are never reused as if new.</summary>
public sealed record RunConfigFile(TrainConfig Config, RunEnvironment Environment, int FormatVersion = 1)
{
    public const int CurrentFormatVersion = 2;

    /// <summary>Why a run with this config.json must be neither resumed nor reused, or null when it may be: its checkpoints
    /// and metrics come from another binding (format 1: the old libtorch 1.13 one) or a newer TorchLoss.</summary>
    public string? FormatMismatch => FormatVersion == CurrentFormatVersion ? null
        : FormatVersion < CurrentFormatVersion
            ? $"it was written by the old libtorch 1.13 binding (config.json format {FormatVersion}; this TorchLoss writes format {CurrentFormatVersion})"
            : $"it was written by a newer TorchLoss (config.json format {FormatVersion}; this one reads format {CurrentFormatVersion})";

    /// <summary>Reads a run's config.json: <see cref="InvalidDataException"/> when it is not JSON or its parts have the wrong
    /// form, <see cref="NotARunConfigException"/> when it is JSON but not a TorchLoss run's (another tool's config.json:
    /// no "config" and "environment" objects).</summary>
    public static RunConfigFile Read(string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message.Split('\n')[0]})");
        }
        if (node is not JsonObject root || root["config"] is not JsonObject
            || root["environment"] is not JsonObject)
            throw new NotARunConfigException(path);
        try
        {
            return root.Deserialize<RunConfigFile>(Reporting.JsonFiles.Options) ?? throw new NotARunConfigException(path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid run configuration ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The settings the run was computed with. Runs written before engines existed record none and used
    /// autograd; reading them as the default (auto, i.e. fused) would resume or reuse them under another engine.</summary>
    public TrainConfig EffectiveConfig => Environment.Engine is null ? Config with { Engine = "autograd" } : Config;
}

/// <summary>A config.json that is JSON but not a TorchLoss run's (another tool's: a model's, a project's): its folder is
/// not a run folder.</summary>
public sealed class NotARunConfigException(string path) : IOException(
    $"{Path.GetDirectoryName(path)} is not a TorchLoss run folder ({Why(path)})")
{
    public string Folder { get; } = Path.GetDirectoryName(path)!;

    /// <summary>"its config.json is not a TorchLoss run's: ..."</summary>
    public string Reason { get; } = Why(path);

    static string Why(string path) => $"its {Path.GetFileName(path)} is not a TorchLoss run's: it has no \"config\" and \"environment\" objects";
}
