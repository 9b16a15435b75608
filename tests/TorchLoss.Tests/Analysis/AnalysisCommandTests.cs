using System.CommandLine;
using System.Text.Json;
using TorchLoss.Analysis;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Analysis;

/// <summary>gradcheck, landscape, saturation and examples through the CLI, at tiny sizes.</summary>
[Collection(SerialCollection.Name)]
public class AnalysisCommandTests
{
    static readonly Dictionary<string, Func<TextWriter, Command>> Commands = new()
    {
        ["gradcheck"] = GradCheckCommand.Create,
        ["landscape"] = LandscapeCommand.Create,
        ["saturation"] = SaturationCommand.Create,
        ["examples"] = ExamplesCommand.Create,
    };

    static (int Code, string Output, string Error) Run(string command, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand("test") { Commands[command](output) };
        var code = CliRunner.Run(root, [command, .. args], error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void GradcheckPrintsOneRowPerHeadModelAndVariableAndPasses()
    {
        var (code, output, error) = Run("gradcheck", "--heads", "softmax-ce,sigmoid-mse", "--batch-sizes", "1,4", "--hidden", "3");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", error);
        Assert.Contains("closed form vs autograd (float64): pass when |a - b| <= 1e-08 * max(|a|, |b|)", output);
        var rows = output.Split('\n').Where(l => l.StartsWith("softmax-ce") || l.StartsWith("sigmoid-mse ")).ToList();
        Assert.Equal(2 * 7, rows.Count);
        Assert.All(rows, r => Assert.EndsWith("ok", r.TrimEnd()));
        Assert.Contains("passed: 56 checks", output);
    }

    [Fact]
    public void GradcheckJsonHoldsEveryCaseAndTheTolerances()
    {
        var (code, output, _) = Run("gradcheck", "--json", "--heads", "logit-mse", "--batch-sizes", "2", "--mse-reduction", "mean");
        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(2 * 7, root.GetProperty("rows").GetArrayLength());
        Assert.Equal(1e-8, root.GetProperty("tolerances").GetProperty("closed_form_vs_autograd").GetProperty("relative").GetDouble());
        Assert.Contains("mean over classes", root.GetProperty("settings").GetProperty("head_conventions").GetProperty("logit-mse").GetString());
        Assert.Contains(root.GetProperty("rows").EnumerateArray(), r => r.GetProperty("logits").GetString() == "saturated" && r.GetProperty("max_logit").GetDouble() == 30);
    }

    [Theory]
    [InlineData("unknown head 'hinge'", "gradcheck", "--heads", "hinge")]
    [InlineData("--batch-sizes: '0' is not an integer >= 1", "gradcheck", "--batch-sizes", "0")]
    [InlineData("needs at least 2 classes", "gradcheck", "--classes", "1")]
    [InlineData("unknown hidden activation 'gelu'", "gradcheck", "--hidden-activation", "gelu")]
    [InlineData("--samples: '1:2' is not a sample", "landscape", "--samples", "1:2")]
    [InlineData("--range: '3:1' is not a range", "landscape", "--range", "3:1")]
    [InlineData("--points: must be at least 2, got 1", "landscape", "--points", "1")]
    [InlineData("--b-range: '1:1' is not a range", "landscape", "--b-range", "1:1")]
    [InlineData("--grid-points: must be at most 301, got 302", "landscape", "--grid-points", "302")]
    [InlineData("--range: 'a:b' is not a range", "saturation", "--range", "a:b")]
    [InlineData("--classes: must be at least 2, got 1", "saturation", "--classes", "1")]
    [InlineData("unknown --mse-reduction 'sum'", "saturation", "--mse-reduction", "sum")]
    [InlineData("--task needs two digits", "examples", "--task", "3vrest")]
    [InlineData("--steps: must be at least 1, got 0", "examples", "--steps", "0")]
    public void BadInputGivesOneLineAndExitCode2(string message, string command, string option, string value)
    {
        var (code, _, error) = Run(command, option, value);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("torchloss: error: ", error);
        Assert.Contains(message, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void LandscapeWritesCsvAndPlotsAndMarksWhereMseIsNonConvex()
    {
        using var dir = new TempDirectory();
        var (code, output, _) = Run("landscape", "--range=-6:6", "--points", "41", "--out", dir.Path);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(new[] { LandscapeFiles.Csv, LandscapeFiles.HessianCsv, LandscapeFiles.CrossEntropyPlot, LandscapeFiles.SquaredErrorPlot, LandscapeFiles.CurvaturePlot, LandscapeFiles.SlopePlot }.Order(),
            dir.Files());
        var csv = File.ReadAllLines(dir[LandscapeFiles.Csv]);
        Assert.Equal(42, csv.Length);
        Assert.StartsWith("w,ce_loss,ce_d1,ce_d2_closed_form,ce_d2_autograd,mse_loss", csv[0]);
        Assert.StartsWith("-6,", csv[1]);
        Assert.EndsWith(",1", csv[1]);  // MSE is non-convex at w = -6 for the default samples
        Assert.Contains("MSE non-convex", File.ReadAllText(dir[LandscapeFiles.CurvaturePlot]));
        Assert.Contains("MSE is non-convex (d2L/dw2 < 0) for w in [-6, ", output);
        Assert.Contains("CE: d2L/dw2 >= 0 everywhere", output);
        Assert.Contains("is exact for L = 1/2 (h - y)^2", output);
    }

    [Fact]
    public void SaturationWritesCsvAndPlotAndSaysWhichEndsVanish()
    {
        using var dir = new TempDirectory();
        var (code, output, _) = Run("saturation", "--points", "25", "--classes", "3", "--out", dir.Path);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(new[] { SaturationFiles.Csv, SaturationFiles.Plot }.Order(), dir.Files());
        var csv = File.ReadAllLines(dir[SaturationFiles.Csv]);
        Assert.Equal(26, csv.Length);
        Assert.Equal("margin,softmax-ce_grad_norm,softmax-ce_loss", string.Join(',', csv[0].Split(',').Take(3)));
        var sigmoidMse = output.Split('\n').Single(l => l.StartsWith("sigmoid-mse "));
        Assert.EndsWith("vanishes   vanishes", sigmoidMse.TrimEnd());
        var crossEntropy = output.Split('\n').Single(l => l.StartsWith("softmax-ce "));
        Assert.EndsWith("does not   vanishes", crossEntropy.TrimEnd());
    }

    [Fact]
    public void SaturationJsonGivesOneObjectPerHeadWithTheSameVerdicts()
    {
        using var dir = new TempDirectory();
        var (code, output, _) = Run("saturation", "--points", "25", "--heads", "softmax-ce,sigmoid-mse", "--json", "--out", dir.Path);
        Assert.Equal(ExitCodes.Ok, code);
        var heads = output.Trim().Split('\n').Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToArray();
        Assert.Equal(["softmax-ce", "sigmoid-mse"], heads.Select(h => (string)h["head"]!));
        Assert.Equal((false, true), ((bool)heads[0]["vanishes_when_wrong"]!, (bool)heads[0]["vanishes_when_right"]!));
        Assert.Equal((true, true), ((bool)heads[1]["vanishes_when_wrong"]!, (bool)heads[1]["vanishes_when_right"]!));
        Assert.Equal(0.125, (double)heads[1]["gradient_norm_at_zero"]!, 12); // sigmoid-mse at m = 0: (1/2 - 1) * 1/4
    }

    [Fact]
    public void ExamplesWithoutMnistPrintsTheWorkedNumbers()
    {
        var (code, output, _) = Run("examples", "--no-mnist");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("(0.8, 0.15, 0.05)   0.223144           0.0325        0.0216667        0.065", output);
        Assert.Contains("softmax(0.2, 5, 0.3) = (0.00808959, 0.98297, 0.00894038)", output);
        Assert.Contains("(NaN, NaN, NaN)", output);
        Assert.Contains("checks: all 6 passed.", output);
        Assert.DoesNotContain("MNIST", output);
    }

    [Fact]
    public void ExamplesPrintWhatThePostsSayNamingEachPost()
    {
        var (code, output, _) = Run("examples", "--no-mnist");
        Assert.Equal(ExitCodes.Ok, code);
        var block = output[output.IndexOf(ClaimsConsole.Heading, StringComparison.Ordinal)..];
        Assert.Contains($"3. {TorchLoss.Analysis.Claims.SourcePosts.CrossEntropyAndMse}: the MSE of (0.8, 0.15, 0.05) against (1, 0, 0) is 0.025", block);
        Assert.Contains("ours: 1/C sum (p-y)^2 = 0.0216667; 0.025 is the sum of p^2 over the wrong classes only (no 1/C)", block);
        Assert.Contains($"{TorchLoss.Analysis.Claims.SourcePosts.MsePoorlyWithSoftmax}: with softmax and cross-entropy", block);
        Assert.Contains("verdict: holds only when the prediction is confidently wrong", block);
        Assert.Contains("8.9e-13 at 30 (confidently right)", block);
    }

    [Fact]
    public void ExamplesJsonHoldsTheClaimsAndTheChecks()
    {
        var (code, output, _) = Run("examples", "--no-mnist", "--json");
        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var claims = json.RootElement.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(6, claims.Count);
        var mse = claims.Single(c => c.GetProperty("says").GetString()!.Contains("is 0.025"));
        Assert.Equal("does_not_hold", mse.GetProperty("verdict").GetString());
        Assert.Equal(TorchLoss.Analysis.Claims.SourcePosts.CrossEntropyAndMse, mse.GetProperty("post").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("checks").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void LandscapeTellsThePlateauFromNonConvexityAndFlagsTheSignSlip()
    {
        using var dir = new TempDirectory();
        var (code, output, _) = Run("landscape", "--out", dir.Path);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("MSE 1 stationary point(s): a minimum at w = 1.03; plateau on [-15, ", output);
        Assert.Contains("smallest |dL/dw| 1.5e-07 at w = -15", output);
        Assert.Contains("plateau: non-convex (d2L/dw2 < 0 at w in [-15, -0.407] and [2.44, 15]) but with a single minimum", output);
        Assert.Contains("CE  1 stationary point(s): a minimum at w = 1.35; no plateau.", output);
        var block = output[output.IndexOf(ClaimsConsole.Heading, StringComparison.Ordinal)..];
        Assert.Contains($"1. {TorchLoss.Analysis.Claims.SourcePosts.WhySoftmaxRegressionDoesNotUseMse}: for CE = -y log h - (1-y) log(1-h), dL/dw = (y - h) x", block);
        Assert.Contains("the sign is flipped: (h - y) x agrees", block);
        Assert.Contains("CE  smallest eigenvalue: lowest 1.5e-10 at (w, b) = (15, 6); positive semidefinite on the whole grid", output);
        Assert.Contains("MSE smallest eigenvalue: lowest -3.9e-01 at (w, b) = (0.5, -2.8); negative on", output);
    }

    [Fact]
    public void LandscapeWritesTheTwoParameterHessiansOverTheBRange()
    {
        using var dir = new TempDirectory();
        var (code, _, _) = Run("landscape", "--range=-2:2", "--points", "5", "--b-range=-1:1", "--grid-points", "3", "--out", dir.Path);
        Assert.Equal(ExitCodes.Ok, code);
        var csv = File.ReadAllLines(dir[LandscapeFiles.HessianCsv]);
        Assert.Equal("w,b,ce_h_ww,ce_h_wb,ce_h_bb,ce_min_eigenvalue,mse_h_ww,mse_h_wb,mse_h_bb,mse_min_eigenvalue,mse_not_psd", csv[0]);
        Assert.Equal(10, csv.Length);
        Assert.StartsWith("-2,-1,", csv[1]);
        Assert.StartsWith("2,1,", csv[^1]);
    }

    [Fact]
    public void LandscapeJsonHoldsTheShapesAndTheClaims()
    {
        using var dir = new TempDirectory();
        var (code, output, _) = Run("landscape", "--json", "--points", "121", "--out", dir.Path);
        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var mse = json.RootElement.GetProperty("shapes")[1];
        Assert.Equal("MSE", mse.GetProperty("loss").GetString());
        Assert.Equal("minimum", mse.GetProperty("stationary_points")[0].GetProperty("kind").GetString());
        Assert.StartsWith("plateau:", mse.GetProperty("trouble").GetString());
        Assert.Equal(-15, mse.GetProperty("plateaus")[0].GetProperty("smallest_slope_at").GetDouble());
        var claims = json.RootElement.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal("does_not_hold", claims[0].GetProperty("verdict").GetString());
        Assert.Contains(claims, c => c.GetProperty("verdict").GetString() == "holds_only_when");
        var hessians = json.RootElement.GetProperty("two_parameter").GetProperty("hessians");
        Assert.True(hessians[0].GetProperty("positive_semidefinite").GetBoolean());
        Assert.False(hessians[1].GetProperty("positive_semidefinite").GetBoolean());
    }

    [MnistPresentFact]
    public void ExamplesTrainsBothTwoClassModelsOnMnist()
    {
        var (code, output, _) = Run("examples", "--train-limit", "300", "--steps", "30");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("MNIST 3 vs 5: 300 training, 1902 test images", output);
        Assert.Contains("checks: all 7 passed.", output);
    }
}
