namespace TorchLoss.Heads;

/// <summary>Settings that some heads read; each head ignores what it does not use.</summary>
public sealed record HeadOptions(
    SquaredErrorReduction Reduction = SquaredErrorReduction.HalfSum,
    double TrueClassWeight = 1,
    double TrueClassTarget = 1);

/// <summary>
/// Every head by name: the built-in ones and those a user registers. Adding a built-in head is one new file and one
/// line in the static constructor; <see cref="Register"/> adds a user's own, which train, gradcheck and compare then see.
/// </summary>
public static class HeadCatalog
{
    sealed record Entry(string Name, string Description, Func<HeadOptions, OutputHead> Factory);

    static readonly object Gate = new();
    static readonly List<Entry> Entries = [];

    static HeadCatalog()
    {
        Add(_ => new SoftmaxCrossEntropyHead());
        Add(o => new SoftmaxSquaredErrorHead(o.Reduction));
        Add(o => new SigmoidSquaredErrorHead(o.Reduction));
        Add(_ => new SigmoidBinaryCrossEntropyHead());
        Add(o => new LogitSquaredErrorHead(o.Reduction, o.TrueClassWeight, o.TrueClassTarget));
    }

    /// <summary>Registers a head under the name and description its default instance reports. Throws
    /// <see cref="ArgumentException"/> when that name is taken.</summary>
    public static void Register(Func<HeadOptions, OutputHead> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate) Add(factory);
    }

    /// <summary>Removes a head a user registered (the built-in ones stay); false when there was none by that name.</summary>
    public static bool Unregister(string name)
    {
        lock (Gate)
        {
            var index = Entries.FindIndex(e => Matches(e, name));
            if (index < BuiltInCount) return false;
            Entries.RemoveAt(index);
            return true;
        }
    }

    const int BuiltInCount = 5;

    public static IReadOnlyList<string> Names
    {
        get { lock (Gate) return Entries.Select(e => e.Name).ToList(); }
    }

    /// <summary>"name: description" for every head, for --help.</summary>
    public static string Help
    {
        get { lock (Gate) return string.Join("; ", Entries.Select(e => $"{e.Name}: {e.Description}")); }
    }

    public static bool Contains(string name)
    {
        lock (Gate) return Entries.Any(e => Matches(e, name));
    }

    /// <summary>The head called <paramref name="name"/>; FormatException naming the valid choices otherwise.</summary>
    public static OutputHead Create(string name, HeadOptions? options = null)
    {
        Entry? entry;
        lock (Gate) entry = Entries.FirstOrDefault(e => Matches(e, name));
        if (entry is null) throw new FormatException($"unknown head '{name}': expected one of {string.Join(", ", Names)}");
        return entry.Factory(options ?? new HeadOptions());
    }

    static bool Matches(Entry e, string name) => string.Equals(e.Name, name.Trim(), StringComparison.OrdinalIgnoreCase);

    static void Add(Func<HeadOptions, OutputHead> factory)
    {
        using var head = factory(new HeadOptions());
        if (string.IsNullOrWhiteSpace(head.Name)) throw new ArgumentException("a head needs a name", nameof(factory));
        if (Entries.Any(e => Matches(e, head.Name))) throw new ArgumentException($"a head named '{head.Name}' is already registered", nameof(factory));
        Entries.Add(new Entry(head.Name, head.Description, factory));
    }
}
