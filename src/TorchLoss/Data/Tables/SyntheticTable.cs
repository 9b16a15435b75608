using System.Globalization;
using System.Text;
using TorchLoss.Reporting;
using TorchLoss.Runtime;

namespace TorchLoss.Data.Tables;

/// <summary>
/// A seeded many-class table for questions MNIST's 10 classes cannot answer (Golik et al. trained softmax outputs over
/// thousands of states): <see cref="Classes"/> Gaussian clusters in <see cref="Features"/> dimensions, each center's
/// coordinates drawn from N(0, <see cref="Separation"/>²) and each row its center plus N(0, 1) noise per coordinate.
/// The same settings give the same file on every machine.
/// </summary>
public sealed record SyntheticTable(int Classes, int Features, int RowsPerClass, double Separation, ulong Seed)
{
    public const int MaxClasses = 10_000, MaxFeatures = 4096, MaxRows = 2_000_000;

    public int Rows => Classes * RowsPerClass;

    /// <summary>Throws FormatException with a message fit for a user.</summary>
    public void Validate()
    {
        if (Classes is < 2 or > MaxClasses) throw new FormatException($"classes must be 2 to {MaxClasses}, got {Classes}");
        if (Features is < 1 or > MaxFeatures) throw new FormatException($"features must be 1 to {MaxFeatures}, got {Features}");
        if (RowsPerClass < 1 || (long)Classes * RowsPerClass > MaxRows)
            throw new FormatException($"rows per class must be at least 1 and classes x rows at most {MaxRows:N0}, got {Classes} x {RowsPerClass}");
        if (!(Separation > 0) || !double.IsFinite(Separation)) throw new FormatException($"separation must be a positive number, got {Separation}");
    }

    /// <summary>Writes the table as CSV (header f0..f{D-1},label; labels c0..c{K-1}; rows class after class), atomically.</summary>
    public void Write(string path)
    {
        Validate();
        var random = new Random(EpochOrder.SeedFor(Seed, epoch: -3));
        var centers = new double[Classes, Features];
        for (var c = 0; c < Classes; c++)
            for (var j = 0; j < Features; j++) centers[c, j] = Separation * Normal(random);
        var text = new StringBuilder();
        text.AppendJoin(',', Enumerable.Range(0, Features).Select(j => $"f{j}")).Append(",label\n");
        for (var c = 0; c < Classes; c++)
            for (var r = 0; r < RowsPerClass; r++)
            {
                for (var j = 0; j < Features; j++)
                    text.Append((centers[c, j] + Normal(random)).ToString("F4", CultureInfo.InvariantCulture)).Append(',');
                text.Append('c').Append(c.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    static double Normal(Random random)
    {
        var u = 1 - random.NextDouble(); // in (0, 1]: the logarithm stays finite
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
