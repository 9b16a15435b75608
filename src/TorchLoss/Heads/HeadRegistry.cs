namespace TorchLoss.Heads;

/// <summary>Settings that some heads read; each head ignores what it does not use.</summary>
public sealed record HeadOptions(
    SquaredErrorReduction Reduction = SquaredErrorReduction.HalfSum,
    double TrueClassWeight = 1,
    double TrueClassTarget = 1);

/// <summary>Every head by name. Adding a head: one new file and one line here.</summary>
public static class HeadRegistry
{
    static readonly Func<HeadOptions, OutputHead>[] Factories =
    [
        _ => new SoftmaxCrossEntropyHead(),
        o => new SoftmaxSquaredErrorHead(o.Reduction),
        o => new SigmoidSquaredErrorHead(o.Reduction),
        _ => new SigmoidBinaryCrossEntropyHead(),
        o => new LogitSquaredErrorHead(o.Reduction, o.TrueClassWeight, o.TrueClassTarget),
    ];

    static readonly OutputHead[] Defaults = Factories.Select(f => f(new HeadOptions())).ToArray();

    public static IReadOnlyList<string> Names => Defaults.Select(h => h.Name).ToList();

    /// <summary>"name: description" for every head, for --help.</summary>
    public static string Help => string.Join("; ", Defaults.Select(h => $"{h.Name}: {h.Description}"));

    /// <summary>The head called <paramref name="name"/>; FormatException naming the valid choices otherwise.</summary>
    public static OutputHead Create(string name, HeadOptions? options = null)
    {
        for (var i = 0; i < Defaults.Length; i++)
            if (string.Equals(Defaults[i].Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
                return Factories[i](options ?? new HeadOptions());
        throw new FormatException($"unknown head '{name}': expected one of {string.Join(", ", Names)}");
    }
}
