using System.Xml.Linq;
using TorchLoss.Reporting.Plots;

namespace TorchLoss.Tests.Reporting;

public class SvgRendererTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    static XDocument Parse(LinePlot plot) => XDocument.Parse(SvgRenderer.Render(plot));

    [Fact]
    public void RendersAValidSvgWithOneLinePerSeriesAndALegend()
    {
        var plot = new LinePlot("Test error", "epoch", "error", [
            new Series("softmax-ce", [(1, 0.1), (2, 0.05), (3, 0.04)]),
            new Series("sigmoid-mse <stuck>", [(1, 0.9), (2, 0.89), (3, 0.6)], Dashed: true),
        ]);
        var doc = Parse(plot);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        var paths = doc.Descendants(Svg + "path").ToList();
        Assert.Equal(2, paths.Count);
        Assert.All(paths, p => Assert.Matches(@"^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+){2}$", (string)p.Attribute("d")!));
        var text = string.Join("|", doc.Descendants(Svg + "text").Select(t => t.Value));
        Assert.Contains("sigmoid-mse <stuck>", text);
        Assert.Contains("Test error", text);
    }

    [Fact]
    public void ALogAxisDropsNonPositiveValuesAndNonFinitePointsBreakTheLine()
    {
        var plot = new LinePlot("norms", "epoch", "norm", [new Series("g", [(1, 1e-3), (2, 0), (3, 1e-1), (4, double.NaN), (5, 10)])]) { LogY = true };
        var doc = Parse(plot);
        var d = (string)doc.Descendants(Svg + "path").Single().Attribute("d")!;
        Assert.Equal(3, d.Count(c => c == 'M'));
        Assert.DoesNotContain("NaN", SvgRenderer.Render(plot));
        Assert.Contains("norm (log)", string.Join("|", doc.Descendants(Svg + "text").Select(t => t.Value)));
    }

    [Fact]
    public void BandsAndAnEmptyPlotRenderWithoutErrors()
    {
        var plot = new LinePlot("empty", "w", "L''", []) { Bands = [new Band(-1, 2, "non-convex")], ReferenceY = 0 };
        var doc = Parse(plot);
        Assert.Contains(doc.Descendants(Svg + "rect"), r => r.Element(Svg + "title")?.Value == "non-convex");
    }
}
