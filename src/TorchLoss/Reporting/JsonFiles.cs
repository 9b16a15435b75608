using System.Text.Json.Serialization;
using System.Text.Json;
using TorchLoss.Runtime;

namespace TorchLoss.Reporting;

/// <summary>JSON files of a run (snake_case, indented), written to a temporary file and renamed into place.</summary>
public static class JsonFiles
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // The files are read by people and scripts, never embedded in HTML: '+', "'" and non-ASCII text stay as written
        // ("sigmoid + squared error", not "sigmoid \u002B squared error").
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The reduction's own converter first: options' converters win over a type's [JsonConverter].
        Converters = { new Heads.SquaredErrorReductionJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new FiniteOrNullConverter() },
    };

    /// <summary>The same, on one line: what --json prints, one object per line.</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options));

    public static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                   ?? throw new InvalidDataException($"{path}: empty JSON");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message.Split('\n')[0]})");
        }
    }
}

/// <summary>Writes a double that is not finite (a diverged loss, a metric never measured) as null, so every number in
/// the files is a JSON number; reads null, and the "NaN" strings of older files, back as NaN.</summary>
public sealed class FiniteOrNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.String when double.TryParse(reader.GetString(), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var value) => value,
        JsonTokenType.String => throw new JsonException($"'{reader.GetString()}' is not a number"),
        _ => reader.GetDouble(),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
