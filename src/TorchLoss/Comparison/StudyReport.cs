using System.Globalization;
using CsvHelper;
using TorchLoss.Data.Tables;
using TorchLoss.Data;
using TorchLoss.Heads;
using TorchLoss.Reporting.Documents;
using TorchLoss.Reporting;
using TorchLoss.Runtime;

namespace TorchLoss.Comparison;

/// <summary>Writes report.md, report.html, summary.json, summary.csv and plots/ for a finished study.</summary>
public static class StudyReport
{
    public const string Markdown = "report.md", Html = "report.html", Json = "summary.json", Csv = "summary.csv";

    public static Document Write(StudyResult study, string outputDirectory, string command)
    {
        var rows = study.Arms.Select(ArmRow.Of).ToList();
        var findings = Findings.Read(study);
        var plots = StudyPlots.Write(study, outputDirectory);
        var confusion = StudyConfusion.Write(study, outputDirectory);
        var doc = Build(study, rows, findings, plots, confusion, command);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, Markdown), MarkdownRenderer.Render(doc));
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, Html), HtmlRenderer.Render(doc, outputDirectory));
        JsonFiles.Write(Path.Combine(outputDirectory, Json), new
        {
            TorchLossVersion = Runtime.TorchRuntime.TorchLossVersion,
            TorchSharpVersion = Runtime.TorchRuntime.TorchSharpVersion,
            LibtorchVersion = Runtime.TorchRuntime.LibTorchVersion,
            study.Config,
            Command = command,
            ElapsedSeconds = study.Elapsed.TotalSeconds,
            study.RunsTrained,
            study.RunsReused,
            LearningRates = study.LearningRates.Values.Select(c => new
            {
                c.Model, c.Head, c.Chosen, c.Caution,
                Tried = c.Tried.Select(t => new
                {
                    t.LearningRate, t.ValidationError,
                    ValidationErrorBySeed = c.BySeed is { } seeds && seeds.TryGetValue(t.LearningRate, out var e) ? e : null,
                }),
            }),
            Arms = study.Arms.Zip(rows, (arm, r) => new
            {
                r.Model, r.Arm, r.Kind, r.Head, r.InitScale, r.LearningRate, r.Seeds,
                Values = r.Values.ToDictionary(v => v.Key, v => double.IsFinite(v.Value) ? v.Value : (double?)null),
                FinalTestErrorPerSeed = arm.Runs.Select(x => x.Summary.FinalTestError),
                arm.ConfusionMatrix,
            }),
            MlNetAgreement = MlNetAgreement.Of(study),
            FineTuningTests = FineTuneComparison.Of(study).Select(t => new
            {
                t.Arm.Arm.Model, Arm = t.Arm.Arm.Label, Control = t.Control.Arm.Label, Seeds = t.Paired.Count,
                TestErrorDifferenceMean = t.Paired.MeanDifference, DifferenceCiLow = t.Paired.CiLow, DifferenceCiHigh = t.Paired.CiHigh,
                PairedTTestP = t.Paired.PairedTP, WilcoxonP = t.Paired.WilcoxonP, SignP = t.Paired.SignP,
                McNemarPerSeed = t.McNemarPerSeed.Select(m => new { OnlyArmCorrect = m.OnlyA, OnlyControlCorrect = m.OnlyB, m.P }),
                t.BinomialStandardError, Verdict = t.Verdict switch { 1 => "gain", -1 => "loss", _ => "within noise" }, Level = FineTuneComparison.Level,
            }),
            Findings = findings,
        });
        WriteCsv(Path.Combine(outputDirectory, Csv), rows);
        return doc;
    }

    static Document Build(StudyResult study, List<ArmRow> rows, IReadOnlyList<string> findings,
        IReadOnlyList<(string Title, string Path)> plots, IReadOnlyList<Block> confusion, string command)
    {
        var c = study.Config;
        var blocks = new List<Block>
        {
            new Paragraph($"Cross-entropy against squared error on {c.Dataset} (after Golik, Doetsch and Ney, Interspeech 2013), " +
                          $"preset '{c.Preset}', {study.Arms.Count} arms × {c.Seeds} seed(s); {study.RunsTrained} runs trained and " +
                          $"{study.RunsReused} reused in {study.Elapsed.TotalMinutes:F1} minutes."),
            new Heading(1, "Reading"),
            new BulletList(findings),
            new Heading(1, "Settings"),
            new BulletList(Settings(c, study.Data).ToList()),
            new Heading(1, "Learning rates, chosen on the validation split"),
            new Paragraph($"Each head and model trained {c.TuningEpochs} epoch(s) at every rate of the grid ({TuningSeedsText(c)}); " +
                          (c.TuningSeeds > 1
                              ? "the rate with the lowest best validation error, averaged over the seeds, is used for all its arms (cells: the mean, and the lowest to the highest seed). "
                              : "the rate with the lowest validation error is used for all its arms. ") +
                          "The test split is never scored in these runs."),
            // Each choice lists its rates in ascending order, so the columns do too.
            LearningRateTable(study),
        };
        foreach (var model in c.Models)
        {
            var modelRows = rows.Where(r => r.Model == model).ToList();
            if (modelRows.Count == 0) continue;
            var layers = modelRows[0].Values.Select(v => v.Key).Where(k => k.StartsWith("grad_norm_first/", StringComparison.Ordinal))
                .Select(k => k["grad_norm_first/".Length..]).ToList();
            blocks.Add(new Heading(1, $"Results: {study.Arms.First(a => a.Arm.Model == model).Arm.ModelLabel}"));
            blocks.Add(new Paragraph($"Mean ± standard deviation over seeds, with the t-based 95 % interval of the mean test error (clipped to " +
                                     "0–100 %; summary.json keeps it unclipped), each seed's " +
                                     $"test error and the seeds stuck ({study.Stuck.Description}; diverging: the training loss ended more than {ArmResult.DivergenceGrowth:N0} times its lowest). " +
                                     "Saturated: outputs within 0.01 of 0 or 1; wrongly saturated: those on the wrong side (the true " +
                                     "class's near 0, another's near 1), whose small gradient is what stalls learning. " +
                                     "Gradient norms: mean over the steps of an epoch, first → last epoch. Test NLL: mean −ln of the " +
                                     "head's probability of the true class; ECE: expected calibration error over 15 confidence bins (for " +
                                     "sigmoid heads both use the per-class outputs, which are not a distribution). " +
                                     $"\"Epochs to {c.TargetAccuracy:P0}\": first epoch whose validation accuracy reaches it (seeds that did), with the SGD " +
                                     "steps and the training seconds (wall clock, evaluation excluded) until that epoch's end. " +
                                     "‖θ‖: the norm of all parameters, at the start → after the last epoch; shared output part: √C times the norm of " +
                                     "the mean of the output layer's rows [w | b], which a softmax ignores (the parameter redundancy of \"Softmax " +
                                     "Regression\"), so a softmax head leaves it where it started unless weight decay shrinks it."));
            blocks.Add(new Table(
                ["arm", "lr", "test error", "95 % interval", "per seed", "stuck", "best val. error", "at epoch", "test error there", $"epochs to {c.TargetAccuracy:P0}",
                 .. layers.Select(l => $"‖∂L/∂W‖ {l}"), "‖dL/dz‖", "saturated", "wrongly saturated, epoch 1", "p(true class), epoch 1", "test NLL", "ECE", "‖θ‖", "shared output part"],
                modelRows.Select(r => (IReadOnlyList<string>)
                [
                    r.Arm, F(r.LearningRate), PM(r["test_error_mean"], r["test_error_std"], r.Seeds),
                    double.IsFinite(r["test_error_ci_low"]) ? $"{P(Math.Max(0, r["test_error_ci_low"]))} – {P(Math.Min(1, r["test_error_ci_high"]))}" : "–",
                    r.PerSeedTestError, $"{r["stuck_seeds"]}/{r.Seeds}" + (r["diverging_seeds"] > 0 ? $" ({r["diverging_seeds"]} diverging)" : ""), PM(r["best_validation_error_mean"], r["best_validation_error_std"], r.Seeds),
                    N(r["best_epoch_mean"], "F1"), PM(r["test_error_at_best_epoch_mean"], r["test_error_at_best_epoch_std"], r.Seeds), r["seeds_reaching_target"] > 0
                        ? $"{N(r["epochs_to_target_mean"], "F1")} ({r["seeds_reaching_target"]}/{r.Seeds}; {N(r["steps_to_target_mean"], "F0")} steps, {N(r["seconds_to_target_mean"], "F1")} s)"
                        : "not reached",
                    .. layers.Select(l => $"{N(r[$"grad_norm_first/{l}"])} → {N(r[$"grad_norm_last/{l}"])}"),
                    $"{N(r["output_grad_norm_first"])} → {N(r["output_grad_norm_last"])}",
                    $"{P(r["saturated_fraction_first"])} → {P(r["saturated_fraction_last"])}",
                    P(r["wrong_saturated_fraction_first"]), N(r["true_class_probability_first"]), N(r["test_nll_mean"]), P(r["ece_mean"]),
                    Change(r["parameter_norm_initial"], r["parameter_norm_last"]), Change(r["shared_output_norm_initial"], r["shared_output_norm_last"]),
                ]).ToList()));
        }
        blocks.Add(new Heading(1, "Plots"));
        blocks.AddRange(plots.Select(p => new Figure(p.Title, p.Path)));
        blocks.AddRange(confusion);
        blocks.Add(new Heading(1, "Reproduce"));
        blocks.Add(new Code(command));
        return new Document("TorchLoss comparison: output heads and losses", blocks);
    }

    /// <summary>Every rate any head tried, ascending, as columns; a head's cell is empty at a rate outside its own grid.</summary>
    static Table LearningRateTable(StudyResult study)
    {
        var rates = study.LearningRates.Values.SelectMany(ch => ch.Tried.Select(t => t.LearningRate)).Distinct().Order().ToList();
        return new Table(["model", "head", .. rates.Select(r => $"lr {F(r)}"), "chosen", "caution"],
            study.LearningRates.Values.Select(ch => (IReadOnlyList<string>)
            [
                ch.Model, ch.Head,
                .. rates.Select(r => ch.Tried.Where(t => t.LearningRate == r)
                    .Select(t => P(t.ValidationError) + (ch.Spread(r) is { } s ? $" ({P(s.Low)}–{P(s.High)})" : "")).FirstOrDefault() ?? ""),
                F(ch.Chosen), ch.Caution ?? "",
            ]).ToList());
    }

    static IEnumerable<string> Settings(StudyConfig c, StudyData? data) =>
    [
        .. c.Heads.Contains(LogitSquaredErrorHead.HeadName)
            ? [$"Square loss on logits ({LogitSquaredErrorHead.HeadName}): true class's weight k = {F(c.TrueClassWeight)}, target M = {F(c.TrueClassTarget)} (Hui and Belkin's rescaling; 1 and 1 is none)."]
            : Array.Empty<string>(),
        .. c.Heads.Where(h => !c.LearningRatesFor(h).SequenceEqual(c.LearningRates)).Select(h =>
            $"Learning-rate grid of {h}: {string.Join(", ", c.LearningRatesFor(h).Select(F))} (the other heads: {string.Join(", ", c.LearningRates.Select(F))})."),
        $"Heads: {string.Join(", ", c.Heads.Select(h => $"{h} ({Described(h, head => head.Description)})"))}.",
        $"Squared error: {SquaredErrorReduction.HalfSum.Describe()}; cross-entropy: {Described(SoftmaxCrossEntropyHead.HeadName, head => head.Convention)}.",
        $"Models: {string.Join(", ", c.Models)} (sigmoid hidden units, PyTorch's default initialisation).",
        $"Arms: random init per head; from the cross-entropy model after {c.Epochs} epochs, {c.FineTuneEpochs} more epochs with each head " +
        "(cross-entropy itself is the control); init scales " + string.Join(", ", c.InitScales.Select(F)) + " on the first MLP.",
        $"SGD, momentum {F(c.Momentum)}{(c.WeightDecay > 0 ? $", weight decay {F(c.WeightDecay)}" : "")}, batch {c.BatchSize}, {c.Epochs} epochs, seeds 1..{c.Seeds}, " +
        $"{ScheduleText(c.Schedule)} (below).",
        DataLine(c, data),
        .. c.LabelNoise > 0
            ? [$"Label noise: {F(100 * c.LabelNoise)} % of the training labels changed to another class chosen uniformly, the same labels in every run; validation and test labels clean."]
            : Array.Empty<string>(),
        $"Device {c.Device}.",
        "Where the setting differs from Golik et al.: they trained acoustic models whose softmax spans thousands of tied triphone " +
        $"states; {DatasetName(c)} has {data?.ClassCount ?? 10} classes, so the share of outputs near 0 (and the " +
        "size of squared error's gradient against cross-entropy's) differs from theirs.",
    ];

    /// <summary>What <paramref name="read"/> says of the head called <paramref name="name"/>, the head made and disposed.</summary>
    static string Described(string name, Func<OutputHead, string> read)
    {
        using var head = HeadCatalog.Create(name);
        return read(head);
    }

    static string DatasetName(StudyConfig c) => TableDatasets.TryParse(c.Dataset, out var file) ? Path.GetFileName(file.Path) : c.Dataset;

    static string DataLine(StudyConfig c, StudyData? data) => data?.Table is { } t
        ? $"Data: {t.File}, {data.Features} features and {data.ClassCount} classes: {t.TrainRows} training, {t.ValidationRows} validation and " +
          $"{t.TestRows} test rows ({(t.TestFile is { } test ? $"the test file {test}" : "a stratified test split")}; validation stratified; split seed " +
          $"{t.SplitSeed}, the same for every run); features {(data.Standardized ? "standardised with the training rows' means and deviations" : "as in the file")}; " +
          "the test split only for the reported test errors."
        : $"Data: {(c.TrainLimit is { } k ? $"the first {k} training images" : "the training images")} minus the last " +
          $"{c.ValidationSize ?? DataOptions.DefaultValidationSize} (validation), pixels in [0, 1]; the test split only for the reported test errors.";

    static void WriteCsv(string path, List<ArmRow> rows)
    {
        var columns = rows.SelectMany(r => r.Values.Select(v => v.Key)).Distinct().ToList();
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var h in new[] { "model", "arm", "kind", "head", "init_scale", "learning_rate", "seeds" }.Concat(columns)) csv.WriteField(h);
            csv.NextRecord();
            foreach (var r in rows)
            {
                csv.WriteField(r.Model); csv.WriteField(r.Arm); csv.WriteField(r.Kind); csv.WriteField(r.Head);
                csv.WriteField(r.InitScale.ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(r.LearningRate.ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(r.Seeds);
                foreach (var col in columns)
                {
                    var found = r.Values.FirstOrDefault(v => v.Key == col);
                    csv.WriteField(found.Key is not null && double.IsFinite(found.Value) ? found.Value.ToString("R", CultureInfo.InvariantCulture) : "");
                }
                csv.NextRecord();
            }
        }
        AtomicFile.WriteAllText(path, writer.ToString());
    }

    static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
    static string P(double v) => double.IsFinite(v) ? (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %" : "–";
    static string PM(double mean, double std, int seeds) => !double.IsFinite(mean) ? "–"
        : seeds == 1 ? P(mean) // one seed has no spread to show
        : $"{(mean * 100).ToString("F2", CultureInfo.InvariantCulture)} ± {(std * 100).ToString("F2", CultureInfo.InvariantCulture)} %";
    static string N(double v, string format = "G3") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    /// <summary>"12.3 → 8.41"; "–" when neither end was recorded (runs from before weight norms were).</summary>
    static string Change(double from, double to) => double.IsFinite(from) || double.IsFinite(to) ? $"{N(from)} → {N(to)}" : "–";

    static string ScheduleText(string schedule)
    {
        var s = Training.LearningRateSchedule.Parse(schedule, 1);
        return s.Kind switch
        {
            "constant" => "constant learning rate per head",
            "newbob" => "learning rate per head halved after every epoch that did not improve the validation error (newbob)",
            _ => $"learning rate per head on a step schedule ({schedule.Trim().ToLowerInvariant()})",
        };
    }

    /// <summary>"seed 1" or "seeds 1..N": the tuning runs' seeds.</summary>
    public static string TuningSeedsText(StudyConfig c) => c.TuningSeeds == 1 ? "seed 1" : $"seeds 1..{c.TuningSeeds}";
}
