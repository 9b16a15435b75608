using TorchLoss.Analysis;

namespace TorchLoss.Cli.Commands;

/// <summary>`landscape`'s lines on each loss's shape: stationary points, negative curvature, plateaus.</summary>
public static class LandscapeShapeConsole
{
    public static void Print(TextWriter output, IReadOnlyList<LossShape> shapes)
    {
        output.WriteLine($"stationary points (sign changes of dL/dw on the grid) and plateaus (|dL/dw| below {Numbers.Sci(LossShape.PlateauFraction)} of its peak, away from them):");
        foreach (var s in shapes)
        {
            var points = s.Stationary.Count == 0
                ? "none"
                : string.Join(", ", s.Stationary.Select(p => $"a {(p.IsMinimum ? "minimum" : "maximum")} at w = {Numbers.General(p.W, 3)}"));
            var plateaus = s.Plateaus.Count == 0
                ? "no plateau"
                : $"plateau on {string.Join(" and ", s.Plateaus.Select(p => $"[{Numbers.General(p.From, 3)}, {Numbers.General(p.To, 3)}]"))}, " +
                  $"smallest |dL/dw| {Numbers.Sci(s.Flattest!.SmallestSlope)} at w = {Numbers.General(s.Flattest.SmallestSlopeAt, 4)} (peak {Numbers.Sci(s.PeakSlope)})";
            output.WriteLine($"  {s.Loss,-3} {s.Stationary.Count} stationary point(s): {points}; {plateaus}.");
            output.WriteLine($"      {Trouble(s)}");
        }
        output.WriteLine();
    }

    /// <summary>Whether the loss's trouble on this grid is non-convexity with a second minimum, a plateau, or neither.</summary>
    public static string Trouble(LossShape s)
    {
        var negative = s.NonConvex.Count == 0
            ? "convex (d2L/dw2 >= 0 on the grid)"
            : $"non-convex (d2L/dw2 < 0 at w in {string.Join(" and ", s.NonConvex.Select(i => $"[{Numbers.General(i.From, 3)}, {Numbers.General(i.To, 3)}]"))})";
        if (s.HasSecondMinimum) return $"{negative}, with more than one stationary point: descent can end in the wrong one.";
        if (s.Plateaus.Count > 0)
            return $"plateau: {negative}{(s.NonConvex.Count > 0 ? " but" : ",")} with a single minimum, so what slows descent is the plateau, not a second minimum.";
        return $"{negative}, a single minimum and no plateau.";
    }
}
