namespace TorchLoss.Torch;

/// <summary>
/// Frees every tensor created on this thread while the scope is innermost, when the scope is disposed,
/// except tensors moved out with <see cref="Tensor.MoveToOuterScope"/> or <see cref="Tensor.DetachFromScope"/>.
/// A training loop wraps each step in one, so temporaries never wait for the garbage collector.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] static DisposeScope? current;

    readonly DisposeScope? parent;
    readonly List<Tensor> owned = new();
    bool disposed;

    DisposeScope()
    {
        parent = current;
        current = this;
    }

    public static DisposeScope Enter() => new();

    internal static DisposeScope? Current => current;

    internal DisposeScope? Parent => parent;

    /// <summary>Number of tensors this scope will free (for diagnostics and tests).</summary>
    public int Count => owned.Count;

    internal void Adopt(Tensor tensor)
    {
        if (disposed) throw new ObjectDisposedException(nameof(DisposeScope));
        owned.Add(tensor);
        tensor.Scope = this;
    }

    internal void Release(Tensor tensor)
    {
        // Search from the end: a tensor moved out is usually one of the last created.
        var i = owned.LastIndexOf(tensor);
        if (i >= 0) owned.RemoveAt(i);
        tensor.Scope = null;
    }

    public void Dispose()
    {
        if (disposed) return;
        if (current != this)
            throw new InvalidOperationException("dispose scopes must be disposed in the reverse order of creation");
        disposed = true;
        current = parent;
        foreach (var t in owned)
        {
            t.Scope = null;
            t.Dispose();
        }
        owned.Clear();
    }
}
