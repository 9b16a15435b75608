using System.Text;

namespace TorchLoss.Reporting.Documents;

public static class MarkdownRenderer
{
    public static string Render(Document doc)
    {
        var md = new StringBuilder($"# {doc.Title}\n\n");
        foreach (var block in doc.Blocks)
        {
            switch (block)
            {
                case Heading h: md.Append($"{new string('#', h.Level + 1)} {h.Text}\n\n"); break;
                case Paragraph p: md.Append($"{p.Text}\n\n"); break;
                case BulletList l: md.Append(string.Concat(l.Items.Select(i => $"- {i}\n"))).Append('\n'); break;
                case Table t:
                    md.Append($"| {string.Join(" | ", t.Header.Select(Cell))} |\n|{string.Concat(t.Header.Select((_, i) => t.IsNumeric(i) ? "---:|" : "---|"))}\n");
                    foreach (var row in t.Rows) md.Append($"| {string.Join(" | ", row.Select(Cell))} |\n");
                    md.Append('\n');
                    break;
                case Figure f: md.Append($"![{f.Title}]({f.RelativePath.Replace('\\', '/')})\n\n"); break;
                case Code c: md.Append($"```\n{c.Text}\n```\n\n"); break;
            }
        }
        return md.ToString();
    }

    static string Cell(string text) => text.Replace("|", "\\|");
}
