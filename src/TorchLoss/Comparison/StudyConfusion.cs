using System.Globalization;
using TorchLoss.Reporting.Documents;
using TorchLoss.Reporting.Plots;

namespace TorchLoss.Comparison;

/// <summary>
/// The report's section on ML.NET's evaluation: whether it agrees with ours, and per model a heat map of every arm's
/// confusion matrix (plots/confusion_MODEL.svg) and a table of each, ML.NET's counts summed over the arm's seeds.
/// </summary>
public static class StudyConfusion
{
    public const string Title = "Confusion matrices (ML.NET)";

    /// <summary>Writes the heat maps into plots/ of <paramref name="outputDirectory"/> and returns the section's blocks.</summary>
    public static IReadOnlyList<Block> Write(StudyResult study, string outputDirectory)
    {
        var blocks = new List<Block>
        {
            new Heading(1, Title),
            new Paragraph("ML.NET's multiclass evaluation (MLContext.MulticlassClassification.Evaluate) of each final model's test predictions, " +
                          "kept as ml_net in the run's summary.json. Counts are summed over the arm's seeds (each seed's test images once); " +
                          "rows are the true class, columns the predicted one (ML.NET's: the first largest output); \"right\" is the share of " +
                          "the class's images predicted as it. The heat maps shade each cell by its share of its row."),
            new Paragraph(MlNetAgreement.Of(study).Sentence),
        };
        foreach (var model in study.Config.Models)
        {
            var arms = study.Arms.Where(a => a.Arm.Model == model && a.ConfusionMatrix is not null).ToList();
            if (arms.Count == 0) continue;
            var label = arms[0].Arm.ModelLabel;
            var count = arms[0].ConfusionMatrix!.Length;
            var classes = study.Data?.ClassNames is { } names && names.Count == count
                ? names.ToList()
                : Enumerable.Range(0, count).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList();
            var title = $"Confusion matrices of the final models on the test split, {label} (summed over seeds)";
            var relative = Path.Combine(StudyPlots.PlotsDirectory, $"confusion_{StudyPlots.Slug(model)}.svg");
            HeatMapRenderer.Write(Path.Combine(outputDirectory, relative), new HeatMapGrid(title, "true class", "predicted", classes,
                arms.Select(a => new HeatMapPanel(a.Arm.Label, a.ConfusionMatrix!)).ToList()));
            blocks.Add(new Heading(2, label));
            blocks.Add(new Figure(title, relative));
            foreach (var arm in arms)
            {
                var matrix = arm.ConfusionMatrix!;
                blocks.Add(new Heading(3, $"{label}: {arm.Arm.Label} ({arm.SeedsWithMlNet} seed(s), {matrix.Sum(r => r.Sum())} test predictions)"));
                blocks.Add(new Table(["true \\ predicted", .. classes, "right"], matrix.Select((row, c) => (IReadOnlyList<string>)
                    [classes[c], .. row.Select(n => n.ToString(CultureInfo.InvariantCulture)), Share(row[c], row.Sum())]).ToList()));
            }
        }
        return blocks;
    }

    static string Share(long part, long whole) => whole == 0 ? "–" : ((double)part / whole * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";
}
