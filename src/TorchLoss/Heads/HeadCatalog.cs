using System.Reflection;

namespace TorchLoss.Heads;

/// <summary>
/// Every head by name: the built-in ones and those a user registers. A built-in head is one file, a type that
/// implements <see cref="IBuiltInHead"/> (found here by reflection, so no list to extend); <see cref="Register"/> adds a
/// user's own, which train, gradcheck and compare then see.
/// </summary>
public static class HeadCatalog
{
    sealed record Entry(string Name, string Description, Func<HeadOptions, OutputHead> Factory, bool BuiltIn);

    static readonly object Gate = new();
    static readonly List<Entry> Entries = [];

    static HeadCatalog()
    {
        var describe = typeof(HeadCatalog).GetMethod(nameof(BuiltIn), BindingFlags.NonPublic | BindingFlags.Static)!;
        var builtIn = typeof(IBuiltInHead).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.IsAssignableTo(typeof(IBuiltInHead)))
            .Select(t => ((int Position, Func<HeadOptions, OutputHead> Factory))describe.MakeGenericMethod(t).Invoke(null, null)!)
            .OrderBy(head => head.Position);
        foreach (var (_, factory) in builtIn) Add(factory, builtIn: true);
    }

    static (int Position, Func<HeadOptions, OutputHead> Factory) BuiltIn<THead>() where THead : IBuiltInHead =>
        (THead.ListPosition, THead.Create);

    /// <summary>Registers a head under the name and description its default instance reports. Throws
    /// <see cref="ArgumentException"/> when that name is taken.</summary>
    public static void Register(Func<HeadOptions, OutputHead> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate) Add(factory, builtIn: false);
    }

    /// <summary>Removes a head a user registered (the built-in ones stay); false when there was none by that name.</summary>
    public static bool Unregister(string name)
    {
        lock (Gate)
        {
            var index = Entries.FindIndex(e => Matches(e, name));
            if (index < 0 || Entries[index].BuiltIn) return false;
            Entries.RemoveAt(index);
            return true;
        }
    }

    public static IReadOnlyList<string> Names
    {
        get { lock (Gate) return Entries.Select(e => e.Name).ToList(); }
    }

    /// <summary>"name: description" for every head, for --help.</summary>
    public static string Help
    {
        get { lock (Gate) return string.Join("; ", Entries.Select(e => $"{e.Name}: {e.Description}")); }
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

    static void Add(Func<HeadOptions, OutputHead> factory, bool builtIn)
    {
        using var head = factory(new HeadOptions());
        if (string.IsNullOrWhiteSpace(head.Name)) throw new ArgumentException("a head needs a name", nameof(factory));
        if (Entries.Any(e => Matches(e, head.Name))) throw new ArgumentException($"a head named '{head.Name}' is already registered", nameof(factory));
        Entries.Add(new Entry(head.Name, head.Description, factory, builtIn));
    }
}
