using System.Globalization;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Runs;

/// <summary>
/// A module's parameters in a <see cref="ParameterFile"/> (checksummed, written atomically), by their TorchSharp names
/// (layer1.weight, layer1.bias, ...). Loading checks every name and shape before it copies anything, so a failed load
/// leaves the module as it was.
/// </summary>
public static partial class ModelFile
{
    public static void Save(nn.Module module, string path) => ParameterFile.Write(path, module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));

    public static void Load(nn.Module module, string path)
    {
        var values = ParameterFile.Read(path);
        try
        {
            var named = module.named_parameters().ToList();
            var byName = Renamed(values, named.Select(p => p.name).ToList());
            var missing = named.Where(p => !byName.ContainsKey(p.name)).Select(p => p.name).ToList();
            if (missing.Count > 0) throw new InvalidDataException($"{path}: missing parameter(s) {string.Join(", ", missing)}");
            var unexpected = byName.Keys.Except(named.Select(p => p.name)).ToList();
            if (unexpected.Count > 0) throw new InvalidDataException($"{path}: unexpected parameter(s) {string.Join(", ", unexpected)}");
            foreach (var (name, p) in named)
                if (!byName[name].shape.SequenceEqual(p.shape))
                    throw new InvalidDataException($"{path}: parameter '{name}' has shape [{string.Join(", ", byName[name].shape)}] " +
                                                   $"but the model expects [{string.Join(", ", p.shape)}]");
            using var noGrad = torch.no_grad();
            foreach (var (name, p) in named) p.copy_(byName[name]);
        }
        finally
        {
            foreach (var t in values.Values) t.Dispose();
        }
    }

    /// <summary>Files written before TorchLoss moved onto TorchSharp name a Sequential's parameters by child index
    /// ("0.weight", "2.bias", with activations at the odd indices); they map onto layer1, layer2, .... A file whose names
    /// do not all map, one to one, is left as it is, so the checks above name what does not fit.</summary>
    static Dictionary<string, Tensor> Renamed(Dictionary<string, Tensor> values, IReadOnlyList<string> expected)
    {
        if (values.Keys.All(expected.Contains)) return values;
        var renamed = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in values)
            if (OldLayerName(name) is not { } layer || !renamed.TryAdd(layer, tensor)) return values;
        return renamed;
    }

    /// <summary>"2.bias" -> "layer2.bias"; null for a name that is not an even child index (activations hold no
    /// parameters) within the range of an int.</summary>
    static string? OldLayerName(string name) =>
        OldName().Match(name) is { Success: true } m && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
        && index % 2 == 0
            ? $"layer{index / 2 + 1}.{m.Groups[2].Value}"
            : null;

    [GeneratedRegex(@"^(\d+)\.(weight|bias)$")]
    private static partial Regex OldName();
}
