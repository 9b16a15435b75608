namespace TorchLoss.Comparison.Statistics;

/// <summary>
/// Two arms measured on the same seeds (a fine-tuning arm and its control start from the same weights per seed):
/// the mean difference a − b with its t-based 95 % interval, the paired t-test, and the exact sign and Wilcoxon
/// signed-rank tests, which assume no normality and suit the few seeds a study has. Two-sided p-values; NaN where a
/// test is undefined (one seed; all differences zero).
/// </summary>
public sealed record PairedComparison(int Count, double MeanDifference, double CiLow, double CiHigh, double PairedTP, double SignP, double WilcoxonP)
{
    public static PairedComparison Of(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException("paired samples need the same seeds");
        var d = a.Zip(b, (x, y) => x - y).ToArray();
        var n = d.Length;
        var mean = n > 0 ? d.Average() : double.NaN;
        if (n < 2) return new(n, mean, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        var se = sd / Math.Sqrt(n);
        var half = StudentT.Quantile(0.975, n - 1) * se;
        var t = se > 0 ? mean / se : mean == 0 ? double.NaN : double.PositiveInfinity * Math.Sign(mean);
        return new(n, mean, mean - half, mean + half, StudentT.TwoSidedP(t, n - 1), Sign(d), Wilcoxon(d));
    }

    /// <summary>Exact two-sided sign test; zero differences are dropped.</summary>
    static double Sign(double[] d)
    {
        var positive = d.Count(x => x > 0);
        var nonzero = d.Count(x => x != 0);
        return nonzero == 0 ? double.NaN : Binomial.TwoSidedP(positive, nonzero);
    }

    /// <summary>Exact two-sided Wilcoxon signed-rank test (zeros dropped, tied |d| get mean ranks), by counting every
    /// sign assignment of the ranks (2^n, n up to 20).</summary>
    static double Wilcoxon(double[] d)
    {
        var nonzero = d.Where(x => x != 0).ToArray();
        var n = nonzero.Length;
        if (n == 0 || n > 20) return double.NaN;
        var order = nonzero.Select((x, i) => (Abs: Math.Abs(x), i)).OrderBy(p => p.Abs).ToArray();
        var ranks = new double[n];
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && order[j + 1].Abs == order[i].Abs) j++;
            for (var k = i; k <= j; k++) ranks[order[k].i] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        var observed = Enumerable.Range(0, n).Where(i => nonzero[i] > 0).Sum(i => ranks[i]);
        var expected = n * (n + 1) / 4.0;
        var distance = Math.Abs(observed - expected);
        var extreme = 0L;
        for (var mask = 0L; mask < 1L << n; mask++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++) if ((mask & (1L << i)) != 0) sum += ranks[i];
            if (Math.Abs(sum - expected) >= distance - 1e-9) extreme++;
        }
        return (double)extreme / (1L << n);
    }
}

/// <summary>Exact binomial tests with p = 1/2, and the binomial standard error of an error rate.</summary>
public static class Binomial
{
    /// <summary>Two-sided P of a count at least as far from n/2 as <paramref name="k"/> in <paramref name="n"/> fair trials.</summary>
    public static double TwoSidedP(int k, int n)
    {
        var low = Math.Min(k, n - k);
        var tail = 0.0;
        for (var i = 0; i <= low; i++) tail += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
        return Math.Min(1, 2 * tail);
    }

    /// <summary>sqrt(p (1 − p) / n): how much one error rate measured on <paramref name="n"/> examples moves by chance.</summary>
    public static double StandardError(double errorRate, int n) => Math.Sqrt(errorRate * (1 - errorRate) / n);

    static double LogChoose(int n, int k) => IncompleteBeta.LogGamma(n + 1) - IncompleteBeta.LogGamma(k + 1) - IncompleteBeta.LogGamma(n - k + 1);
}

/// <summary>McNemar's exact test on two classifiers' predictions of the same examples: of the examples exactly one of
/// them gets right, does either get more? <see cref="OnlyA"/> and <see cref="OnlyB"/> count them.</summary>
public sealed record McNemar(int OnlyA, int OnlyB, double P)
{
    public static McNemar Of(IReadOnlyList<bool> aCorrect, IReadOnlyList<bool> bCorrect)
    {
        if (aCorrect.Count != bCorrect.Count) throw new ArgumentException("McNemar's test needs the same examples");
        int onlyA = 0, onlyB = 0;
        for (var i = 0; i < aCorrect.Count; i++)
        {
            if (aCorrect[i] && !bCorrect[i]) onlyA++;
            else if (!aCorrect[i] && bCorrect[i]) onlyB++;
        }
        return new(onlyA, onlyB, onlyA + onlyB == 0 ? 1 : Binomial.TwoSidedP(onlyA, onlyA + onlyB));
    }
}

/// <summary>A t-based 95 % confidence interval for a mean over seeds; none for one seed.</summary>
public readonly record struct MeanInterval(double Mean, double Low, double High, int Count)
{
    public static MeanInterval Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new(double.NaN, double.NaN, double.NaN, 0);
        var mean = v.Average();
        if (v.Length == 1) return new(mean, double.NaN, double.NaN, 1);
        var sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        var half = StudentT.Quantile(0.975, v.Length - 1) * sd / Math.Sqrt(v.Length);
        return new(mean, mean - half, mean + half, v.Length);
    }
}
