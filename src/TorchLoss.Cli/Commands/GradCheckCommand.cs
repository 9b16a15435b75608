using System.CommandLine;
using System.Text.Json;
using TorchLoss.Gradients;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Reporting;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss gradcheck`: hand-derived gradients against autograd and finite differences.</summary>
public static class GradCheckCommand
{
    /// <summary>The largest batch: finite differences evaluate the loss twice per logit, each evaluation over the whole
    /// batch, so the time grows with the batch's square (batch 1000 with 4 classes: about 12 s on 2 cores).</summary>
    public const int MaxBatch = 1000;

    /// <summary>Classes, features and hidden units: the checks exist to compare gradients, which small sizes do as
    /// well; each parameter of W1 and W2 costs two loss evaluations, so the MLP's cost grows with hidden x (features + classes).</summary>
    public const int MaxUnits = 100;

    /// <summary>The largest saturated |z|: softmax saturates fully in float64 by |z| ~ 745, and the square loss on logits
    /// squares z, so far larger values only test overflow.</summary>
    public const double MaxSaturatedLogit = 1e4;

    public static Command Create(TextWriter? output = null)
    {
        var defaults = new GradCheckSettings();
        var heads = new Option<string>("--heads") { Description = $"Comma-separated heads to check (default: all). {HeadCatalog.Help}." };
        var reduction = TrainOptions.MseReductionOption();
        var batches = new Option<string>("--batch-sizes") { Description = $"Comma-separated batch sizes, each 1 to {MaxBatch}.", DefaultValueFactory = _ => string.Join(",", defaults.BatchSizes) };
        var classes = NumericOptions.Int("--classes", $"Output units (classes), 1 to {MaxUnits}.", defaults.Classes, min: 1, max: MaxUnits);
        var features = NumericOptions.Int("--features", $"Input features of the linear model and the MLP, 1 to {MaxUnits}.", defaults.Features, min: 1, max: MaxUnits);
        var hidden = NumericOptions.Int("--hidden", $"Hidden units of the MLP, 1 to {MaxUnits}.", defaults.HiddenUnits, min: 1, max: MaxUnits);
        var activation = new Option<string>("--hidden-activation") { Description = "Hidden activation of the MLP: sigmoid, tanh or relu.", DefaultValueFactory = _ => "sigmoid" };
        var saturated = NumericOptions.Double("--saturated-logit", $"Largest |z| of the saturated cases, up to {Numbers.Limit(MaxSaturatedLogit)}.",
            defaults.SaturatedLogit, positive: true, max: MaxSaturatedLogit);
        var seed = NumericOptions.Seed("--seed", "Seed of the random inputs.", defaults.Seed);
        var json = new Option<bool>("--json") { Description = "Print the full report (every case) as JSON instead of the table." };
        var command = new Command("gradcheck",
            "Check each head's closed-form dL/dz, and backprop by hand through a linear layer and a one-hidden-layer MLP, " +
            "against autograd and central finite differences in float64, on random and saturated logits (|z| up to 30), " +
            "batch sizes 1 and many; the same closed form and autograd in float32 show single precision's error. " +
            $"Fails (exit 1) unless closed form vs autograd: {GradCheck.ClosedFormVsAutograd.Criterion}, and " +
            $"closed form vs finite differences: {GradCheck.ClosedFormVsFiniteDifferences.Criterion}.")
        {
            heads, reduction, batches, classes, features, hidden, activation, saturated, seed, json,
        };
        command.SetAction(parse =>
        {
            var mseReduction = TrainOptions.ParseReduction(parse.GetValue(reduction)!);
            var options = new HeadOptions(mseReduction);
            var settings = new GradCheckSettings
            {
                Heads = OptionParsing.Heads("--heads", parse.GetValue(heads), options),
                BatchSizes = OptionParsing.Integers("--batch-sizes", parse.GetValue(batches)!, max: MaxBatch),
                Classes = parse.GetValue(classes),
                Features = parse.GetValue(features),
                HiddenUnits = parse.GetValue(hidden),
                Activation = HiddenActivations.Parse(parse.GetValue(activation)!),
                SaturatedLogit = parse.GetValue(saturated),
                Seed = parse.GetValue(seed),
            };
            var report = GradCheck.Run(settings);
            var writer = output ?? Console.Out;
            if (parse.GetValue(json)) writer.WriteLine(JsonSerializer.Serialize(report, JsonFiles.Options));
            else Print(report, mseReduction, writer);
            return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    static void Print(GradCheckReport report, SquaredErrorReduction reduction, TextWriter output)
    {
        var s = report.Settings;
        var t = report.Tolerances;
        output.WriteLine($"gradcheck: {s.Heads.Count} head(s) on 3 models (logits z; linear W, b; mlp W1, b1, W2, b2 with {s.HiddenUnits} " +
                         $"{s.Activation.Name()} units), {s.Classes} classes, {s.Features} features, batch sizes {string.Join(", ", s.BatchSizes)}, " +
                         $"logits as drawn and rescaled to max |z| = {Numbers.General(s.SaturatedLogit)}, seed {s.Seed}.");
        output.WriteLine($"loss: mean over the batch; squared-error heads per example: {reduction.Describe().Replace(", averaged over the batch", "")}.");
        output.WriteLine($"closed form vs autograd (float64): pass when {t.ClosedFormVsAutograd.Criterion}");
        output.WriteLine($"closed form vs central differences (float64, step {Numbers.Sci(t.FiniteDifferenceStep)} * max(1, |v|)): " +
                         $"pass when {t.ClosedFormVsFiniteDifferences.Criterion}");
        output.WriteLine("rel = |a - b| / max(|a|, |b|, floor), the worst over logit regimes and batch sizes. f32: the worse of the closed form " +
                         "and autograd in float32 against the float64 closed form, for typical and saturated logits (reported, not checked).");
        output.WriteLine("fused: the fused training step's gradient (train --engine fused) against the closed form, float64, checked like " +
                         "autograd; '-' where it does not compute the model.");
        output.WriteLine();
        string[] headers = ["head", "model", "var", "max|cf-ag|", "rel cf-ag", "max|cf-fd|", "rel cf-fd", "f32 rel typ", "f32 rel sat", "rel cf-fused", "ok"];
        var rows = report.Summary.Select(r => (IReadOnlyList<string>)
        [
            r.Head, r.Model, r.Variable,
            Numbers.Sci(r.ClosedFormVsAutograd.MaxAbsolute), Numbers.Sci(r.ClosedFormVsAutograd.MaxRelative),
            Numbers.Sci(r.ClosedFormVsFiniteDifferences.MaxAbsolute), Numbers.Sci(r.ClosedFormVsFiniteDifferences.MaxRelative),
            Numbers.Sci(r.Float32Typical.MaxRelative), Numbers.Sci(r.Float32Saturated.MaxRelative),
            r.FusedVsClosedForm is { } f ? Numbers.Sci(f.MaxRelative) : "-",
            r.Passed ? "ok" : "FAIL",
        ]).ToList();
        ConsoleTable.Write(output, headers, rows, textColumns: 3);
        output.WriteLine();
        var failed = report.Rows.Where(r => !r.Passed).ToList();
        output.WriteLine(failed.Count == 0
            ? $"passed: {report.Rows.Count} checks ({report.Summary.Count} head/model/variable rows) within tolerance."
            : $"FAILED: {failed.Count} of {report.Rows.Count} checks outside tolerance, first: {failed[0].Head} {failed[0].Model} " +
              $"{failed[0].Variable} ({failed[0].Logits.ToString().ToLowerInvariant()} logits, batch {failed[0].Batch}).");
    }
}
