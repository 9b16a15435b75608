using TorchLoss.Cli.Commands;
using DocumentTable = TorchLoss.Reporting.Documents.Table;

namespace TorchLoss.Tests.Cli;

public sealed class ConsoleFoldTests
{
    [Fact]
    public void A_wide_table_folds_into_tables_of_80_columns_each_led_by_the_arm()
    {
        var header = new[] { "arm" }.Concat(Enumerable.Range(1, 12).Select(i => $"column {i:D2}")).ToArray();
        var rows = new[] { "softmax-ce", "CE, continued (control)" }
            .Select(arm => (IReadOnlyList<string>)[arm, .. Enumerable.Range(1, 12).Select(i => $"value {i:D2} of {arm.Length}")]).ToList();
        var output = new StringWriter();
        CompareConsole.PrintTable(output, new DocumentTable(header, rows));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.True(line.Length <= CompareConsole.ConsoleWidth, $"{line.Length}: {line}"));
        var headers = lines.Where(l => l.StartsWith("arm ", StringComparison.Ordinal)).ToList();
        Assert.True(headers.Count > 1, "the table was not folded");
        Assert.Equal(header.Skip(1), headers.SelectMany(h => h.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)));
        Assert.Equal(2 * headers.Count, lines.Count(l => l.StartsWith("softmax-ce ", StringComparison.Ordinal) || l.StartsWith("CE, continued", StringComparison.Ordinal)));
    }
}
