using System.Text.Json.Nodes;
using TorchLoss.Tests.Reliability;

namespace TorchLoss.Tests.Cli;

/// <summary>`torchloss info --json` in a child process of the built CLI (info writes to the console).</summary>
public sealed class InfoCommandTests
{
    [Fact]
    public void Info_json_names_the_versions_and_threads_with_the_files_field_names()
    {
        var (code, output, error) = CliProcess.Run(["info", "--json"]);
        Assert.True(code == 0, error);
        var info = JsonNode.Parse(output)!;
        Assert.Equal(TorchLoss.Runtime.TorchRuntime.TorchSharpVersion, (string?)info["torch_sharp_version"]);
        Assert.Equal("2.10.0", (string?)info["libtorch_version"]);
        Assert.Equal(Environment.ProcessorCount, (int)info["processor_count"]!);
        Assert.True((int)info["intra_op_threads"]! >= 1);
        // The CPU and oneMKL's mode, which decide whether two machines' numbers can agree to the bit.
        Assert.Equal(TorchLoss.Runtime.TorchRuntime.Processor, (string?)info["processor"]);
        if (Environment.GetEnvironmentVariable("MKL_CBWR") is null) Assert.Equal("AUTO", (string?)info["blas_reproducibility"]);
    }
}
