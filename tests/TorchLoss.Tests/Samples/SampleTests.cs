using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace TorchLoss.Tests.Samples;

/// <summary>Runs samples/OwnTrainingLoop as a user would (`dotnet OwnTrainingLoop.dll`), from the build of the same
/// configuration as these tests (the test project builds it first).</summary>
public partial class SampleTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    static string SampleDll => typeof(SampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "OwnTrainingLoopDll").Value!;

    static (int Code, string Output, string Error) RunSample(params string[] args)
    {
        Assert.True(File.Exists(SampleDll), $"{SampleDll} is missing: build tests/TorchLoss.Tests, which builds the sample");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(SampleDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the sample ran longer than {Timeout.TotalSeconds} s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    [GeneratedRegex(@"^(?<head>\S+): loss (?<before>[0-9.]+) -> (?<after>[0-9.]+), accuracy (?<accuracy>[0-9.]+)%$", RegexOptions.Multiline)]
    private static partial Regex FinalLine();

    [Theory]
    [InlineData(new string[0], "softmax-ce")]
    [InlineData(new[] { "sigmoid-mse" }, "sigmoid-mse")]
    public void TheSampleTrainsTheNamedHeadAndItsOwnAndTheLossFalls(string[] args, string head)
    {
        var (code, output, error) = RunSample(args);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        var finals = FinalLine().Matches(output).ToDictionary(m => m.Groups["head"].Value);
        Assert.Equal([head, "smoothed-ce"], finals.Keys);
        foreach (var (name, m) in finals)
        {
            double Number(string group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
            Assert.True(Number("after") < 0.5 * Number("before"), $"{name}: {m.Value}");
            Assert.True(Number("accuracy") > 90, $"{name}: {m.Value}");
        }
        Assert.Contains("  step  30  batch loss", output);
    }

    [Fact]
    public void AnUnknownHeadIsOneLineAndExitCode2()
    {
        var (code, output, error) = RunSample("hinge");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("unknown head 'hinge': expected one of softmax-ce", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
