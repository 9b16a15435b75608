using TorchLoss.Engines;
using TorchLoss.Fused;
using TorchLoss.Heads;
using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Gradients;

/// <summary>
/// Compares, for every head on every model, the gradient by hand (the head's closed-form dL/dz, then backprop by
/// hand), autograd's, and central finite differences, in float64; then the closed form and autograd in float32
/// against the float64 closed form, to show what single precision costs. The loss is the batch mean, so the
/// closed form starts from dL/dz = LogitGradient / B. Where the fused native step can compute the model (the linear
/// model and the MLP), its gradients are checked against the closed form too, in float64.
/// </summary>
public static class GradCheck
{
    /// <summary>Two float64 computations of the same gradient g: equal to 1e-8 relative; below 1e-15 max(1, max |g|)
    /// absolute (a few ulps of the quantities g is computed from, such as p, s and y near 1) rounding cannot
    /// resolve them, e.g. p - y for p close to 1.</summary>
    public static readonly Tolerance ClosedFormVsAutograd = new(1e-8, 1e-7, "max |g|");

    /// <summary>Central differences with step h = 1e-6 max(1, |v|) err by about h^2 |f'''| / 6 (truncation, ~1e-13 here)
    /// plus eps |L| / h ~ 2e-10 |L| (rounding of the two loss values, which dominates): so 1e-5 relative, and below
    /// that 1e-9 max(1, |L|) absolute, a few times the rounding bound.</summary>
    public static readonly Tolerance ClosedFormVsFiniteDifferences = new(1e-5, 1e-4, "|L|");

    public static GradCheckReport Run(GradCheckSettings settings)
    {
        settings.Validate();
        TorchRuntime.ManualSeed(settings.Seed);
        GradientModel[] models =
            [new DirectLogitsModel(), new LinearClassifierModel(), new OneHiddenLayerModel(settings.HiddenUnits, settings.Activation)];
        var rows = new List<GradCheckRow>();
        foreach (var model in models)
        foreach (var batch in settings.BatchSizes)
        foreach (var regime in Enum.GetValues<LogitRegime>())
        foreach (var head in settings.Heads)
            rows.AddRange(Check(head, model, regime, batch, settings));
        return new GradCheckReport(settings, rows);
    }

    static IEnumerable<GradCheckRow> Check(OutputHead head, GradientModel model, LogitRegime regime, int batch, GradCheckSettings s)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([batch, s.Features], ScalarType.Float64);
        var labels = torch.randint(0, s.Classes, [batch]);
        var targets = OutputHead.Targets(labels, s.Classes, ScalarType.Float64);
        var variables = model.Initial(batch, s.Features, s.Classes);
        var maxLogit = model.Logits(x, variables).abs().max().ToDouble();
        if (regime == LogitRegime.Saturated)
        {
            variables = model.ScaleLogits(variables, s.SaturatedLogit / maxLogit);
            maxLogit = s.SaturatedLogit;
        }

        var loss = LossValue(head, model, x, targets, variables);
        var closed = ClosedForm(head, model, x, targets, variables);
        var autograd = WithAutograd(head, model, x, targets, variables);
        var fused = WithFusedStep(s.FusedForm(head, s.Classes), model, x, labels, variables, s.Classes);
        var x32 = x.to_type(ScalarType.Float32);
        var targets32 = targets.to_type(ScalarType.Float32);
        var variables32 = variables.Select(v => v.to_type(ScalarType.Float32)).ToList();
        var closed32 = ClosedForm(head, model, x32, targets32, variables32);
        var autograd32 = WithAutograd(head, model, x32, targets32, variables32);

        var rows = new List<GradCheckRow>();
        for (var i = 0; i < variables.Count; i++)
        {
            var maxGradient = closed[i].abs().max().ToDouble();
            var finiteDifferences = FiniteDifferences.Gradient(v => LossValue(head, model, x, targets, v), variables, i);
            rows.Add(new GradCheckRow(head.Name, model.Name, model.VariableNames[i], regime, batch, maxLogit, loss,
                maxGradient,
                GradientError.Between(closed[i], autograd[i], ClosedFormVsAutograd.FloorFor(maxGradient)),
                GradientError.Between(closed[i], finiteDifferences, ClosedFormVsFiniteDifferences.FloorFor(loss)),
                GradientError.Between(closed32[i], closed[i], ClosedFormVsAutograd.FloorFor(maxGradient)),
                GradientError.Between(autograd32[i], closed[i], ClosedFormVsAutograd.FloorFor(maxGradient)),
                fused is null ? null : GradientError.Between(fused[i], closed[i], ClosedFormVsAutograd.FloorFor(maxGradient))));
        }
        return rows;
    }

    /// <summary>The batch-mean loss, differentiable in the variables.</summary>
    static Tensor Loss(OutputHead head, GradientModel model, Tensor x, Tensor targets, IReadOnlyList<Tensor> variables)
    {
        using var scope = torch.NewDisposeScope();
        return head.MeanLoss(model.Logits(x, variables), targets).MoveToOuterDisposeScope();
    }

    static double LossValue(OutputHead head, GradientModel model, Tensor x, Tensor targets, IReadOnlyList<Tensor> variables)
    {
        using var noGrad = torch.no_grad();
        using var loss = Loss(head, model, x, targets, variables);
        return loss.ToDouble();
    }

    static IReadOnlyList<Tensor> ClosedForm(OutputHead head, GradientModel model, Tensor x, Tensor targets, IReadOnlyList<Tensor> variables)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var logits = model.Logits(x, variables);
        var delta = head.LogitGradient(logits, targets) / logits.size(0);
        var gradients = model.Backward(x, variables, delta);
        foreach (var g in gradients) g.MoveToOuterDisposeScope();
        return gradients;
    }

    /// <summary>The fused step's gradients (no update) for the head as <paramref name="form"/> computes it, or null where the
    /// head has no fused form or the fused step cannot compute the model.</summary>
    static IReadOnlyList<Tensor>? WithFusedStep(FusedHead? form, GradientModel model, Tensor x, Tensor labels, IReadOnlyList<Tensor> variables,
        int classes)
    {
        if (form is null || model.Spec is not { } spec) return null;
        return Engines.FusedStep.Gradients(spec, form, x, labels, variables, classes);
    }

    static IReadOnlyList<Tensor> WithAutograd(OutputHead head, GradientModel model, Tensor x, Tensor targets, IReadOnlyList<Tensor> variables)
    {
        using var scope = torch.NewDisposeScope();
        var leaves = variables.Select(v => v.detach().requires_grad_()).ToList();
        var gradients = SafeAutograd.Grad([Loss(head, model, x, targets, leaves)], leaves).ToList();
        foreach (var g in gradients) g.MoveToOuterDisposeScope();
        return gradients;
    }
}
