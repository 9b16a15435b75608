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
    public void ALongLegendWidensTheFigureInsteadOfRunningOffItsEdge()
    {
        LinePlot With(string name) => new("Test error", "epoch", "error", [new Series(name, [(1, 0.1), (2, 0.05)])]);
        Assert.Equal(720, (int)Parse(With("softmax-ce")).Root!.Attribute("width")!);
        var name = "runs/compare-quick/runs/mlp-256-256_softmax-ce/seed-1";
        var doc = Parse(With(name));
        var width = (double)doc.Root!.Attribute("width")!;
        Assert.Equal($"0 0 {width} 420", (string)doc.Root.Attribute("viewBox")!);
        var legend = doc.Descendants(Svg + "text").Single(t => t.Value == name);
        // At 7.5 px per character at 12 px (more than DejaVu Sans takes), the text ends inside the figure.
        Assert.True((double)legend.Attribute("x")! + 7.5 * name.Length <= width, $"legend at {legend.Attribute("x")}, figure {width} wide");
        // The plotting area is the same as with a short name: the frame's right edge does not move.
        static string Frame(XDocument d) => d.Descendants(Svg + "rect").Single(r => (string?)r.Attribute("class") == "frame").ToString();
        Assert.Equal(Frame(Parse(With("softmax-ce"))), Frame(doc));
    }

    [Fact]
    public void ALogAxisDropsNegativeValuesAndNonFinitePointsBreakTheLine()
    {
        var plot = new LinePlot("norms", "epoch", "norm", [new Series("g", [(1, 1e-3), (2, -1), (3, 1e-1), (4, double.NaN), (5, 10)])]) { LogY = true };
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

    static List<string> Ticks(XDocument doc, string axis) =>
        doc.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == $"{axis}-tick").Select(t => t.Value).ToList();

    static double Number(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void AZeroOnALogAxisSitsBelowABreakAtItsOwnTick()
    {
        var plot = new LinePlot("error", "epoch", "test error", [new Series("a", [(1, 0.5), (2, 0), (3, 2)])]) { LogY = true, YUnit = "%" };
        var doc = Parse(plot);
        Assert.Equal(["0.0 %", "0.5 %", "1.0 %", "2.0 %"], Ticks(doc, "y"));
        var zero = doc.Descendants(Svg + "text").First(t => t.Value == "0.0 %");
        var circles = doc.Descendants(Svg + "circle").ToList();
        Assert.Equal(3, circles.Count);
        Assert.Equal(Number(zero, "y") - 4, Number(circles[1], "cy"), 1);
        Assert.Single(doc.Descendants(Svg + "path"), p => (string?)p.Attribute("class") == "axis-break");
        var frame = doc.Descendants(Svg + "rect").Single(r => (string?)r.Attribute("class") == "frame");
        Assert.True(Number(circles[1], "cy") < Number(frame, "y") + Number(frame, "height") - 5, "the zero sits on the frame");
    }

    [Fact]
    public void ALogPercentAxisLabelsItsTicksInPercent()
    {
        var plot = new LinePlot("error", "epoch", "test error", [new Series("a", [(1, 60), (2, 12), (3, 3), (4, 1.1)])]) { LogY = true, YUnit = "%" };
        Assert.Equal(["1 %", "2 %", "5 %", "10 %", "20 %", "50 %"], Ticks(Parse(plot), "y"));
    }

    [Fact]
    public void ANarrowLogRangeStillGetsSeveralTicksInOneFormat()
    {
        // Fine-tuning results: tenths of a point apart.
        var plot = new LinePlot("error", "epoch", "test error", [new Series("a", [(1, 2.4), (2, 2.1), (3, 1.85)])]) { LogY = true, YUnit = "%" };
        var ticks = Ticks(Parse(plot), "y");
        Assert.True(ticks.Count >= 3, string.Join(", ", ticks));
        Assert.All(ticks, t => Assert.Matches(@"^\d\.\d %$", t));
    }

    [Theory]
    [InlineData(1.0, 2.25)]
    [InlineData(0.0, 1.0)]
    [InlineData(-3.0, 0.7)]
    [InlineData(1e-5, 0.2)]
    public void EveryTickOfAnAxisHasTheSameFormat(double low, double high)
    {
        var doc = Parse(new LinePlot("p", "x", "y", [new Series("a", [(low, low), (high, high)])]));
        foreach (var axis in new[] { "x", "y" })
        {
            var ticks = Ticks(doc, axis);
            Assert.True(ticks.Count >= 3, string.Join(", ", ticks));
            // The format of a label: plain or scientific, and the number of decimals.
            static (bool Scientific, int Decimals) Shape(string t)
            {
                var mantissa = t.Split('e')[0];
                return (t.Contains('e'), mantissa.Contains('.') ? mantissa.Length - mantissa.IndexOf('.') - 1 : 0);
            }
            Assert.Single(ticks.Where(t => t != "0").Select(Shape).Distinct());
        }
    }

    [Fact]
    public void ALogAxisOverManyDecadesUsesScientificNotationThroughout()
    {
        var plot = new LinePlot("norms", "epoch", "norm", [new Series("g", [(1, 1e-5), (2, 0.1)])]) { LogY = true };
        var ticks = Ticks(Parse(plot), "y");
        Assert.Equal(["1e-5", "1e-4", "1e-3", "1e-2", "1e-1"], ticks);
    }

    [Fact]
    public void FewXValuesAreTheTicksThemselves()
    {
        var plot = new LinePlot("sweep", "init scale", "test error", [new Series("a", [(1, 5), (4, 20), (16, 80)])])
            { LogX = true, LogY = true, YUnit = "%", XTicksAtData = true };
        Assert.Equal(["1", "4", "16"], Ticks(Parse(plot), "x"));
        var epochs = new LinePlot("e", "epoch", "e", [new Series("a", Enumerable.Range(0, 7).Select(e => ((double)e, 1.0 / (e + 1))).ToList())]) { XTicksAtData = true };
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6"], Ticks(Parse(epochs), "x"));
        var many = new LinePlot("e", "epoch", "e", [new Series("a", Enumerable.Range(1, 40).Select(e => ((double)e, 1.0 / e)).ToList())]) { XTicksAtData = true };
        Assert.Equal(["0", "10", "20", "30", "40"], Ticks(Parse(many), "x"));
    }

    [Fact]
    public void ExtremePointsLieInsideTheFrameNotOnIt()
    {
        var plot = new LinePlot("share", "epoch", "saturated", [new Series("a", [(1, 0), (2, 50), (3, 100)])]) { YMin = 0, YMax = 100, YUnit = "%" };
        var doc = Parse(plot);
        var frame = doc.Descendants(Svg + "rect").Single(r => (string?)r.Attribute("class") == "frame");
        double left = Number(frame, "x"), top = Number(frame, "y"), right = left + Number(frame, "width"), bottom = top + Number(frame, "height");
        var circles = doc.Descendants(Svg + "circle").ToList();
        Assert.Equal(3, circles.Count);
        Assert.All(circles, c =>
        {
            Assert.InRange(Number(c, "cx"), left + 5, right - 5);
            Assert.InRange(Number(c, "cy"), top + 5, bottom - 5);
        });
        Assert.Equal(["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"], Ticks(doc, "y"));
    }

    [Fact]
    public void ASpreadIsABandInTheLinesColourAndTheLegendSaysWhatItIs()
    {
        var series = new Series("ce", [(1, 10), (2, 5), (3, 4)], Color: "#123456")
        {
            Spread = [(1, 8, 12), (2, 4, 7), (3, 3.5, 4.5)],
        };
        var doc = Parse(new LinePlot("error", "epoch", "error", [series]) { LogY = true, YUnit = "%", SpreadLabel = "min–max over 3 seeds" });
        var band = doc.Descendants(Svg + "polygon").Single();
        Assert.Equal("#123456", (string)band.Attribute("fill")!);
        var ys = ((string)band.Attribute("points")!).Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6, ys.Count);
        var line = doc.Descendants(Svg + "circle").Select(c => Number(c, "cy")).ToList();
        // On an SVG's y axis down is larger: each point lies between its band's high (above) and low (below) edges.
        for (var i = 0; i < 3; i++) Assert.InRange(line[i], ys[i], ys[5 - i]);
        Assert.Contains("min–max over 3 seeds", doc.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void ErrorBarsSpanTheSpreadDownToZeroOnALogAxis()
    {
        var series = new Series("mse", [(1, 10), (4, 30), (16, 60)]) { Spread = [(1, 8, 12), (4, 0, 50), (16, 55, 70)] };
        var doc = Parse(new LinePlot("sweep", "scale", "error", [series]) { LogX = true, LogY = true, SpreadStyle = SpreadStyle.ErrorBars, SpreadLabel = "min–max" });
        Assert.Empty(doc.Descendants(Svg + "polygon"));
        var bars = doc.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "error-bar").ToList();
        Assert.Equal(3, bars.Count);
        var zero = doc.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "y-tick" && t.Value == "0");
        var circles = doc.Descendants(Svg + "circle").ToList();
        var spans = bars.Select(bar => System.Text.RegularExpressions.Regex.Matches((string)bar.Attribute("d")!, @"[\d.]+,([\d.]+)")
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList()).ToList();
        foreach (var (ys, circle) in spans.Zip(circles)) Assert.InRange(Number(circle, "cy"), ys.Min(), ys.Max());
        Assert.Equal(Number(zero, "y") - 4, spans[1].Max(), 1); // the seed with no error at all, at the axis's 0
    }
}
