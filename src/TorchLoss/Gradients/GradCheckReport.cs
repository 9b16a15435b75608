namespace TorchLoss.Gradients;

/// <summary>One variable of one case: a head on a model, in one logit regime, at one batch size.</summary>
/// <param name="MaxLogit">the largest |z| of the case.</param>
/// <param name="Loss">the batch-mean loss L of the case (it scales the finite differences' floor).</param>
/// <param name="MaxGradient">the largest |dL/dv| (closed form), to read the errors against.</param>
/// <param name="Float32ClosedForm">the closed form computed in float32 against the float64 closed form (reported only).</param>
/// <param name="Float32Autograd">autograd in float32 against the float64 closed form (reported only).</param>
/// <param name="FusedVsClosedForm">the fused native step's gradient against the closed form (float64), null where the
/// fused step does not compute the model; checked with the autograd tolerance.</param>
public sealed record GradCheckRow(
    string Head, string Model, string Variable, LogitRegime Logits, int Batch, double MaxLogit, double Loss, double MaxGradient,
    GradientError ClosedFormVsAutograd, GradientError ClosedFormVsFiniteDifferences,
    GradientError Float32ClosedForm, GradientError Float32Autograd, GradientError? FusedVsClosedForm)
{
    public bool Passed => GradCheck.ClosedFormVsAutograd.Accepts(ClosedFormVsAutograd)
                          && GradCheck.ClosedFormVsFiniteDifferences.Accepts(ClosedFormVsFiniteDifferences)
                          && (FusedVsClosedForm is null || GradCheck.ClosedFormVsAutograd.Accepts(FusedVsClosedForm));
}

/// <summary>The worst errors of one head, model and variable over the logit regimes and batch sizes; for float32, the
/// worse of closed form and autograd, per regime.</summary>
public sealed record GradCheckSummaryRow(
    string Head, string Model, string Variable, GradientError ClosedFormVsAutograd, GradientError ClosedFormVsFiniteDifferences,
    GradientError Float32Typical, GradientError Float32Saturated, GradientError? FusedVsClosedForm, bool Passed);

public sealed record GradCheckTolerances(Tolerance ClosedFormVsAutograd, Tolerance ClosedFormVsFiniteDifferences, double FiniteDifferenceStep);

public sealed record GradCheckReport(GradCheckSettings Settings, IReadOnlyList<GradCheckRow> Rows)
{
    public GradCheckTolerances Tolerances => new(GradCheck.ClosedFormVsAutograd, GradCheck.ClosedFormVsFiniteDifferences, FiniteDifferences.RelativeStep);

    public bool Passed => Rows.All(r => r.Passed);

    public IReadOnlyList<GradCheckSummaryRow> Summary => Rows
        .GroupBy(r => (r.Head, r.Model, r.Variable))
        .Select(g => new GradCheckSummaryRow(g.Key.Head, g.Key.Model, g.Key.Variable,
            Worst(g, r => r.ClosedFormVsAutograd), Worst(g, r => r.ClosedFormVsFiniteDifferences),
            Worst(g.Where(r => r.Logits == LogitRegime.Typical), Float32),
            Worst(g.Where(r => r.Logits == LogitRegime.Saturated), Float32),
            g.All(r => r.FusedVsClosedForm is not null) ? Worst(g, r => r.FusedVsClosedForm!) : null, g.All(r => r.Passed)))
        .ToList();

    static GradientError Float32(GradCheckRow row) => row.Float32ClosedForm.Worst(row.Float32Autograd);

    static GradientError Worst(IEnumerable<GradCheckRow> rows, Func<GradCheckRow, GradientError> error) =>
        rows.Select(error).Aggregate(GradientError.None, (a, b) => a.Worst(b));
}
