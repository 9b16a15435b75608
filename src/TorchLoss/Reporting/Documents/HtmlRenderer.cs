using System.Net;
using System.Text;

namespace TorchLoss.Reporting.Documents;

/// <summary>A self-contained HTML page: styles inline, figures' SVG embedded, nothing fetched.</summary>
public static class HtmlRenderer
{
    public static string Render(Document doc, string baseDirectory)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append($"<title>{E(doc.Title)}</title><style>")
            .Append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
            // A wide table scrolls sideways in its own box instead of breaking a value such as "7.56 ± 0.42 %" over two lines.
            .Append(".table{overflow-x:auto;margin:1em 0}table{border-collapse:collapse;font-size:13px}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;white-space:nowrap}")
            .Append("td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}")
            .Append("th{background:#f3f3f3}figure{margin:1.5em 0}figcaption{font-size:13px;color:#555}pre{background:#f6f6f6;padding:8px;overflow:auto}")
            .Append("</style></head><body>\n")
            .Append($"<h1>{E(doc.Title)}</h1>\n");
        foreach (var block in doc.Blocks)
        {
            switch (block)
            {
                case Heading h: html.Append($"<h{h.Level + 1}>{E(h.Text)}</h{h.Level + 1}>\n"); break;
                case Paragraph p: html.Append($"<p>{E(p.Text)}</p>\n"); break;
                case BulletList l: html.Append("<ul>").Append(string.Concat(l.Items.Select(i => $"<li>{E(i)}</li>"))).Append("</ul>\n"); break;
                case Table t:
                    var numeric = Enumerable.Range(0, t.Header.Count).Select(t.IsNumeric).ToList();
                    string Class(int column) => column < numeric.Count && numeric[column] ? " class=\"num\"" : "";
                    html.Append("<div class=\"table\"><table><tr>").Append(string.Concat(t.Header.Select((c, i) => $"<th{Class(i)}>{E(c)}</th>"))).Append("</tr>\n");
                    foreach (var row in t.Rows) html.Append("<tr>").Append(string.Concat(row.Select((c, i) => $"<td{Class(i)}>{E(c)}</td>"))).Append("</tr>\n");
                    html.Append("</table></div>\n");
                    break;
                case Figure f:
                    var svg = File.ReadAllText(Path.Combine(baseDirectory, f.RelativePath));
                    html.Append($"<figure>{svg}<figcaption>{E(f.Title)}</figcaption></figure>\n");
                    break;
                case Code c: html.Append($"<pre>{E(c.Text)}</pre>\n"); break;
            }
        }
        return html.Append("</body></html>\n").ToString();
    }

    static string E(string text) => WebUtility.HtmlEncode(text);
}
