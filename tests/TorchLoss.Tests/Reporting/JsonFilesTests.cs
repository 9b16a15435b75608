using TorchLoss.Heads;
using TorchLoss.Reporting;
using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Reporting;

public sealed class JsonFilesTests : IDisposable
{
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    sealed record Sample(string HeadDescription, double? Value);

    [Fact]
    public void Files_keep_text_as_written_snake_case_and_non_finite_numbers_as_null()
    {
        var path = temp["s.json"];
        JsonFiles.Write(path, new Sample("sigmoid + squared error, the head's ‖dL/dz‖ (为什么)", double.NaN));
        var text = File.ReadAllText(path);
        Assert.Contains("\"head_description\": \"sigmoid + squared error, the head's ‖dL/dz‖ (为什么)\"", text);
        Assert.DoesNotContain("\\u", text);
        Assert.Contains("\"value\": null", text);
        Assert.Equal(new Sample("sigmoid + squared error, the head's ‖dL/dz‖ (为什么)", null), JsonFiles.Read<Sample>(path));
    }

    sealed record WithReduction(SquaredErrorReduction MseReduction);

    [Theory]
    [InlineData(SquaredErrorReduction.HalfSum, "half-sum", "half_sum")]
    [InlineData(SquaredErrorReduction.MeanOverClasses, "mean", "mean_over_classes")]
    public void A_reduction_is_written_as_the_cli_spells_it_and_older_spellings_still_read(SquaredErrorReduction reduction, string spelled, string older)
    {
        JsonFiles.Write(temp["r.json"], new WithReduction(reduction));
        Assert.Contains($"\"mse_reduction\": \"{spelled}\"", File.ReadAllText(temp["r.json"]));
        File.WriteAllText(temp["old.json"], $"{{ \"mse_reduction\": \"{older}\" }}");
        Assert.Equal(reduction, JsonFiles.Read<WithReduction>(temp["old.json"]).MseReduction);
    }
}
