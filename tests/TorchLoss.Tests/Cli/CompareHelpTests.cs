using TorchLoss.Cli.Commands;
using TorchLoss.Comparison;

namespace TorchLoss.Tests.Cli;

/// <summary>compare --help shows each preset's value of the settings the presets decide, read from the presets.</summary>
public sealed class CompareHelpTests
{
    [Fact]
    public void Preset_dependent_defaults_are_shown_as_the_presets_set_them()
    {
        var command = CompareCommand.Create();
        var help = string.Join("\n", command.Options.Select(o => $"{o.Name} {o.Description}"));
        var table = StudyConfig.Default.ForTable(1);
        Assert.Contains($"Seeds per arm (default {StudyConfig.Default.Seeds}; --quick {StudyConfig.Quick.Seeds}, --full {StudyConfig.Full.Seeds}; " +
                        $"on a table {table.Seeds},", help);
        Assert.Contains($"(default {StudyConfig.Default.Epochs}; --quick {StudyConfig.Quick.Epochs}, --full {StudyConfig.Full.Epochs};", help);
        Assert.Contains($"(default {string.Join(",", StudyConfig.Default.LearningRates.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)))}; " +
                        $"--quick {string.Join(",", StudyConfig.Quick.LearningRates.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)))},", help);
    }
}
