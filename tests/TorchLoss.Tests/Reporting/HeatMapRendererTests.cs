using System.Xml.Linq;
using TorchLoss.Reporting.Plots;

namespace TorchLoss.Tests.Reporting;

public class HeatMapRendererTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void EachCellIsShadedByItsShareOfItsRowWithItsCountAsTooltip()
    {
        var grid = new HeatMapGrid("Confusion <test>", "true class", "predicted", ["0", "1"],
        [
            new HeatMapPanel("softmax-ce", [[4, 0], [1, 3]]),
            new HeatMapPanel("sigmoid-mse", [[0, 0], [2, 2]]),
            new HeatMapPanel("softmax-mse", [[1, 1], [0, 4]]),
        ]) { Columns = 2 };
        var doc = XDocument.Parse(HeatMapRenderer.Render(grid));
        // Cells in order: panel by panel, row by row.
        var cells = doc.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null)
            .Select(r => (Tip: r.Element(Svg + "title")!.Value, Fill: (string)r.Attribute("fill")!)).ToList();
        Assert.Equal(12, cells.Count);
        Assert.Equal(("true class 0, predicted 0: 4 (100.0 % of the row)", "#08306b"), cells[0]); // the darkest blue
        Assert.Equal(("true class 0, predicted 1: 0 (0.0 % of the row)", "#ffffff"), cells[1]);
        Assert.Equal(("true class 1, predicted 1: 2 (50.0 % of the row)", "#506d96"), cells[7]); // √0.5 of the way: small shares show
        Assert.Equal("#ffffff", cells[4].Fill); // an empty row
        var text = string.Join("|", doc.Descendants(Svg + "text").Select(t => t.Value));
        Assert.Contains("Confusion <test>", text);
        Assert.Contains("softmax-mse", text);
        // Two panels a row: the third starts a second row below the first.
        var titles = doc.Descendants(Svg + "text").Where(t => t.Value is "softmax-ce" or "softmax-mse").Select(t => (double)t.Attribute("y")!).ToList();
        Assert.True(titles[1] > titles[0]);
    }

    [Fact]
    public void NoPanelsRendersAValidEmptyFigure()
    {
        var doc = XDocument.Parse(HeatMapRenderer.Render(new HeatMapGrid("empty", "true class", "predicted", [], [])));
        Assert.Equal(Svg + "svg", doc.Root!.Name);
    }
}
