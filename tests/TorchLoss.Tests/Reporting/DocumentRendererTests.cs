using System.Text.RegularExpressions;
using TorchLoss.Reporting.Documents;

namespace TorchLoss.Tests.Reporting;

public class DocumentRendererTests
{
    static readonly Table Results = new(["arm", "test error", "epochs to 90 %", "per seed"],
    [
        ["softmax-ce", "7.56 ± 0.42 %", "3.5 (2/2)", "7.86 / 7.27 %"],
        ["sigmoid-mse", "78.52 ± 0.53 %", "not reached", "–"],
        ["softmax-mse", "9.71 ± 1.08 %", "5.0 (2/2)", "10.47 / 8.94 %"],
    ]);

    [Fact]
    public void ColumnsOfNumbersAreTheNumericOnes()
    {
        Assert.Equal([false, true, true, true], Enumerable.Range(0, 4).Select(Results.IsNumeric));
    }

    [Fact]
    public void HtmlTablesNeverWrapAValueScrollSidewaysAndRightAlignNumbers()
    {
        var html = HtmlRenderer.Render(new Document("t", [new Heading(1, "Results: MLP 256,256"), Results]), ".");
        var style = Regex.Match(html, "<style>(.*?)</style>").Groups[1].Value;
        Assert.Matches(@"td,th\{[^}]*white-space:nowrap", style);
        Assert.Matches(@"\.table\{[^}]*overflow-x:auto", style);
        Assert.Matches(@"td\.num,th\.num\{[^}]*text-align:right", style);
        // Every table sits in its scrolling box, right after the heading that names its model.
        Assert.Matches(@"<h2>Results: MLP 256,256</h2>\s*<div class=""table""><table>", html);
        Assert.Contains($"<td>softmax-ce</td><td class=\"num\">{System.Net.WebUtility.HtmlEncode("7.56 ± 0.42 %")}</td>", html);
        Assert.Contains("<th>arm</th><th class=\"num\">test error</th>", html);
        Assert.Contains("<td class=\"num\">not reached</td>", html); // the column's alignment, whatever one cell says
    }

    [Fact]
    public void MarkdownTablesRightAlignTheColumnsOfNumbers()
    {
        var markdown = MarkdownRenderer.Render(new Document("t", [Results]));
        Assert.Contains("| arm | test error | epochs to 90 % | per seed |\n|---|---:|---:|---:|\n", markdown);
    }
}
