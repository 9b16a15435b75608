namespace TorchLoss.Torch.NN;

/// <summary>
/// A layer or model: a forward function plus named parameters (and child modules, whose parameter names
/// are prefixed with the child's name, as "0.weight"). Parameters are owned by the module, never by a
/// dispose scope; disposing the module frees them.
/// </summary>
public abstract class Module : IDisposable
{
    readonly List<(string Name, Tensor Value)> parameters = new();
    readonly List<(string Name, Module Value)> children = new();

    public abstract Tensor Forward(Tensor input);

    public Tensor Call(Tensor input) => Forward(input);

    protected Tensor RegisterParameter(string name, Tensor value)
    {
        if (parameters.Any(p => p.Name == name)) throw new ArgumentException($"parameter '{name}' already registered");
        value.DetachFromScope();
        value.RequiresGrad = true;
        parameters.Add((name, value));
        return value;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        children.Add((name, module));
        return module;
    }

    /// <summary>This module's own parameter by local name.</summary>
    protected Tensor Parameter(string name)
    {
        // A plain loop: layers look their parameters up on every forward pass.
        foreach (var (n, value) in parameters)
            if (n == name) return value;
        throw new KeyNotFoundException($"no parameter '{name}'");
    }

    public IEnumerable<(string Name, Tensor Value)> NamedParameters()
    {
        foreach (var p in parameters) yield return p;
        foreach (var (childName, child) in children)
            foreach (var (name, value) in child.NamedParameters())
                yield return ($"{childName}.{name}", value);
    }

    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    public IEnumerable<(string Name, Module Value)> Children() => children;

    public long ParameterCount() => Parameters().Sum(p => p.NumEl);

    /// <summary>Drops every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ClearGrad();
    }

    /// <summary>Moves every parameter to <paramref name="device"/> (and/or converts it), keeping names and order.</summary>
    public Module To(Device device, DType? dtype = null)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            var (name, old) = parameters[i];
            Tensor moved;
            using (Autograd.NoGrad())
            {
                using var onDevice = old.To(device);
                using var converted = dtype is { } d ? onDevice.To(d) : onDevice.Alias();
                // to() returns the same tensor when nothing changes; then the module needs its own copy.
                moved = converted.Device == old.Device && converted.DType == old.DType ? converted.Clone() : converted.Alias();
            }
            moved.DetachFromScope();
            moved.RequiresGrad = true;
            parameters[i] = (name, moved);
            old.Dispose();
        }
        foreach (var (_, child) in children) child.To(device, dtype);
        return this;
    }

    /// <summary>Copies values into the parameters, matched by name; shapes must agree.</summary>
    public void LoadParameters(IReadOnlyDictionary<string, Tensor> values)
    {
        var named = NamedParameters().ToList();
        var missing = named.Where(p => !values.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"missing parameter(s): {string.Join(", ", missing)}");
        var unexpected = values.Keys.Except(named.Select(p => p.Name)).ToList();
        if (unexpected.Count > 0) throw new InvalidDataException($"unexpected parameter(s): {string.Join(", ", unexpected)}");
        using var noGrad = Autograd.NoGrad();
        foreach (var (name, p) in named)
        {
            var v = values[name];
            if (!v.Shape.SequenceEqual(p.Shape))
                throw new InvalidDataException($"parameter '{name}' has shape [{string.Join(", ", v.Shape)}] but the model expects [{string.Join(", ", p.Shape)}]");
            p.Copy_(v);
        }
    }

    public void Save(string path) => ParameterFile.Write(path, NamedParameters());

    public void Load(string path)
    {
        var values = ParameterFile.Read(path);
        try { LoadParameters(values); }
        finally { foreach (var v in values.Values) v.Dispose(); }
    }

    public virtual void Dispose()
    {
        foreach (var (_, p) in parameters) p.Dispose();
        foreach (var (_, c) in children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}
