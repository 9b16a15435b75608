namespace TorchLoss.Benchmarking;

/// <summary>
/// Floating-point operations of one training step of an MLP, counted from its layer widths (matrix products
/// only; elementwise work is a few percent and not counted): forward 2·B·in·out per layer, the weight gradient
/// the same again, and the input gradient for every layer but the first (the data needs no gradient).
/// </summary>
public static class StepFlops
{
    public static double TrainingStep(IReadOnlyList<int> widths, int batch)
    {
        double total = 0;
        for (var l = 0; l + 1 < widths.Count; l++)
        {
            var product = 2.0 * batch * widths[l] * widths[l + 1];
            total += product * (l == 0 ? 2 : 3);
        }
        return total;
    }

    public static double Forward(IReadOnlyList<int> widths, int batch)
    {
        double total = 0;
        for (var l = 0; l + 1 < widths.Count; l++) total += 2.0 * batch * widths[l] * widths[l + 1];
        return total;
    }
}
