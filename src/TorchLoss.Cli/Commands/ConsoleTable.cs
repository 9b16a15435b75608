using Spectre.Console;
using Spectre.Console.Rendering;

namespace TorchLoss.Cli.Commands;

/// <summary>Prints rows under headers: a Spectre table on a terminal wide enough for it, aligned plain text otherwise
/// (redirected output, tests, narrow terminals, where Spectre would wrap or crop the cells).</summary>
public static class ConsoleTable
{
    /// <param name="textColumns">how many leading columns hold text (left-aligned); the rest are numbers (right-aligned).</param>
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, int textColumns)
    {
        var widths = headers.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        // The simple border pads each cell by one space on either side and adds a margin at each edge.
        var spectreWidth = widths.Sum() + 3 * widths.Length + 2;
        if (output == Console.Out && !Console.IsOutputRedirected && spectreWidth <= AnsiConsole.Profile.Width)
        {
            var table = new Table().Border(TableBorder.Simple);
            for (var c = 0; c < headers.Count; c++)
                table.AddColumn(new TableColumn(new Text(headers[c])) { Alignment = c < textColumns ? Justify.Left : Justify.Right, NoWrap = true });
            foreach (var row in rows) table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
            AnsiConsole.Write(table);
            return;
        }
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((cell, c) =>
            c < textColumns ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();
        output.WriteLine(Line(headers));
        foreach (var row in rows) output.WriteLine(Line(row));
    }
}
