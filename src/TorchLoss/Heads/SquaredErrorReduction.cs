namespace TorchLoss.Heads;

/// <summary>How a squared-error head sums over classes. The default follows the seeds of the product.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(SquaredErrorReductionJsonConverter))]
public enum SquaredErrorReduction
{
    /// <summary>L = 1/2 * sum over classes of (a - y)^2.</summary>
    HalfSum,
    /// <summary>L = 1/C * sum over classes of (a - y)^2.</summary>
    MeanOverClasses,
}

public static class SquaredErrorReductionExtensions
{
    public static string Describe(this SquaredErrorReduction r) => r switch
    {
        SquaredErrorReduction.HalfSum => "1/2 * sum over classes of (a - y)^2, averaged over the batch",
        SquaredErrorReduction.MeanOverClasses => "1/C * sum over classes of (a - y)^2 (mean over classes), averaged over the batch",
        _ => r.ToString(),
    };

    public static string OptionName(this SquaredErrorReduction r) => r switch
    {
        SquaredErrorReduction.HalfSum => "half-sum",
        SquaredErrorReduction.MeanOverClasses => "mean",
        _ => r.ToString(),
    };

    /// <summary>Per-example sum of squares scaled to the convention: 1/2 or 1/C.</summary>
    public static double Scale(this SquaredErrorReduction r, long classes) =>
        r == SquaredErrorReduction.HalfSum ? 0.5 : 1.0 / classes;
}

/// <summary>Writes a reduction as the CLI spells it ("half-sum", "mean"), so config.json and --mse-reduction agree; reads
/// those and the enum-name spellings older files have ("half_sum", "mean_over_classes").</summary>
public sealed class SquaredErrorReductionJsonConverter : System.Text.Json.Serialization.JsonConverter<SquaredErrorReduction>
{
    public override SquaredErrorReduction Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        reader.GetString() switch
        {
            "half-sum" or "half_sum" or "HalfSum" => SquaredErrorReduction.HalfSum,
            "mean" or "mean_over_classes" or "MeanOverClasses" => SquaredErrorReduction.MeanOverClasses,
            var other => throw new System.Text.Json.JsonException($"unknown squared-error reduction '{other}': expected half-sum or mean"),
        };

    public override void Write(System.Text.Json.Utf8JsonWriter writer, SquaredErrorReduction value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.OptionName());
}
