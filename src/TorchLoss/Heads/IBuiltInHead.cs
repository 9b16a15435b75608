using TorchLoss.Fused;

namespace TorchLoss.Heads;

/// <summary>
/// A head that ships with the library, declared whole in its own file: <see cref="HeadCatalog"/> finds every type
/// that implements this and registers it, and the fused step asks it for the form it computes natively. A user's own
/// head does not implement it (it cannot: it is internal) and is registered with <see cref="HeadCatalog.Register"/>.
/// </summary>
internal interface IBuiltInHead
{
    /// <summary>Where the head stands among the built-in ones in <see cref="HeadCatalog.Names"/>, and so in --help,
    /// completions and the default head lists of gradcheck and saturation.</summary>
    static abstract int ListPosition { get; }

    /// <summary>The head with the settings it reads from <paramref name="options"/>.</summary>
    static abstract OutputHead Create(HeadOptions options);

    /// <summary>This head as the fused step computes it (the TLF_HEAD_* code of the native library and its
    /// constants) for <paramref name="outputs"/> output units.</summary>
    FusedHead FusedForm(long outputs);
}
