using System.CommandLine;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;

namespace TorchLoss.Tests.Cli;

/// <summary>Runs one command as `torchloss NAME ARGS` in this process, with the embedded manifest and the default data
/// directory: exit code, stdout, stderr. (<see cref="CliDataset.Run"/> does the same on its synthetic dataset.)</summary>
static class InProcessCli
{
    public static (int Code, string Output, string Error) Run(Func<DataCommandServices, Command> create, params string[] args) =>
        Run(output => create(new DataCommandServices(TorchLoss.Data.DatasetManifest.Embedded, null, output, ShowProgress: false)), args);

    /// <summary>For the commands that take only their output writer.</summary>
    public static (int Code, string Output, string Error) Run(Func<TextWriter, Command> create, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var command = create(output);
        var code = CliRunner.Run(new RootCommand("test") { command }, [command.Name, .. args], error);
        return (code, output.ToString(), error.ToString());
    }
}
