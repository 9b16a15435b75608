namespace TorchLoss.Comparison.Statistics;

/// <summary>Student's t distribution: two-sided tail probabilities and quantiles, through the regularized incomplete
/// beta function (accurate to about 1e-12, far below what a test's p-value needs).</summary>
public static class StudentT
{
    /// <summary>P(|T| ≥ |t|) for T with <paramref name="degreesOfFreedom"/>.</summary>
    public static double TwoSidedP(double t, double degreesOfFreedom)
    {
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        return IncompleteBeta.Regularized(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
    }

    /// <summary>The t with P(T ≤ t) = <paramref name="probability"/> (e.g. 0.975 for a 95 % interval), by bisection.</summary>
    public static double Quantile(double probability, double degreesOfFreedom)
    {
        if (probability is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(probability));
        if (probability < 0.5) return -Quantile(1 - probability, degreesOfFreedom);
        double low = 0, high = 1;
        while (Upper(high, degreesOfFreedom) > 1 - probability) high *= 2;
        for (var i = 0; i < 200 && high - low > 1e-12 * high; i++)
        {
            var mid = (low + high) / 2;
            if (Upper(mid, degreesOfFreedom) > 1 - probability) low = mid;
            else high = mid;
        }
        return (low + high) / 2;
    }

    static double Upper(double t, double df) => TwoSidedP(t, df) / 2;
}

/// <summary>The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz).</summary>
public static class IncompleteBeta
{
    public static double Regularized(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        // The fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
        return x < (a + 1) / (a + b + 2) ? front * Fraction(x, a, b) / a : 1 - front * Fraction(1 - x, b, a) / b;
    }

    static double Fraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = Math.Abs(d) < tiny ? tiny : d;
        d = 1 / d;
        var result = d;
        for (var m = 1; m <= 500; m++)
        {
            var even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + even * d; d = Math.Abs(d) < tiny ? tiny : d; d = 1 / d;
            c = 1 + even / c; c = Math.Abs(c) < tiny ? tiny : c;
            result *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + odd * d; d = Math.Abs(d) < tiny ? tiny : d; d = 1 / d;
            c = 1 + odd / c; c = Math.Abs(c) < tiny ? tiny : c;
            var step = d * c;
            result *= step;
            if (Math.Abs(step - 1) < 1e-15) break;
        }
        return result;
    }

    /// <summary>ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        ReadOnlySpan<double> g =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = g[0];
        for (var i = 1; i < g.Length; i++) sum += g[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
