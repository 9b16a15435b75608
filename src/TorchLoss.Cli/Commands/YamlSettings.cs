using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// A YAML settings file as the equivalent JSON, read event by event from YamlDotNet's parser. Plain scalars are typed as
/// YAML 1.2's core schema types them (null, true/false, integers, floats); quoted ones are text. Refused, with the line:
/// a key given twice, a number that is not finite (.inf, .nan, 1e309), nesting deeper than <see cref="MaxDepth"/>,
/// more than one document, and anchors and aliases: a settings file is a short mapping with a few lists, where an alias
/// saves nothing, and without them the work is linear in the file's size, so no alias bomb ("billion laughs") can make
/// a kilobyte expand to gigabytes.
/// </summary>
public static partial class YamlSettings
{
    /// <summary>Settings nest three levels at most (config, head_learning_rates, a list); the same bound as JSON's reader.</summary>
    public const int MaxDepth = 64;

    public const string NoAliases = "YAML anchors and aliases (&name, *name) are not accepted in a settings file";

    /// <summary>The settings in <paramref name="text"/> (null for an empty file). What settings cannot hold is a
    /// <see cref="UserException"/> starting with <paramref name="origin"/> and the line; text that is not YAML, a
    /// <see cref="YamlException"/>.</summary>
    public static JsonNode? Read(string text, string origin)
    {
        var reader = new Reader(new Parser(new StringReader(text)), origin);
        reader.Expect<StreamStart>();
        if (reader.Peek() is StreamEnd) return null;
        reader.Expect<DocumentStart>();
        var root = reader.Node("", depth: 1);
        reader.Expect<DocumentEnd>();
        reader.Expect<StreamEnd>("more than one YAML document; a settings file is one");
        return root;
    }

    sealed class Reader(IParser parser, string origin)
    {
        public JsonNode? Node(string key, int depth)
        {
            var start = Next();
            if (start is AnchorAlias or NodeEvent { Anchor.IsEmpty: false }) throw Refused(start, NoAliases);
            if (depth > MaxDepth) throw Refused(start, $"settings nested more than {MaxDepth} levels deep");
            return start switch
            {
                Scalar scalar => Value(scalar, key),
                SequenceStart => Sequence(key, depth),
                MappingStart => Mapping(key, depth),
                _ => throw Refused(start, $"unexpected {start.GetType().Name}"),
            };
        }

        JsonArray Sequence(string key, int depth)
        {
            var array = new JsonArray();
            while (Peek() is not SequenceEnd) array.Add(Node($"{key}[{array.Count}]", depth + 1));
            Next();
            return array;
        }

        JsonObject Mapping(string key, int depth)
        {
            var mapping = new JsonObject();
            while (Peek() is not MappingEnd)
            {
                var keyEvent = Next();
                if (keyEvent is AnchorAlias or NodeEvent { Anchor.IsEmpty: false }) throw Refused(keyEvent, NoAliases);
                if (keyEvent is not Scalar { Value: var name }) throw Refused(keyEvent, $"{Where(key)} has a key that is not plain text");
                var path = key.Length == 0 ? name : $"{key}.{name}";
                if (mapping.ContainsKey(name)) throw Refused(keyEvent, $"'{path}' is given twice");
                mapping[name] = Node(path, depth + 1);
            }
            Next();
            return mapping;
        }

        /// <summary>A scalar as JSON: text when quoted or tagged !!str, otherwise what YAML 1.2's core schema makes of it.</summary>
        JsonNode? Value(Scalar scalar, string key)
        {
            var text = scalar.Value;
            var tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value;
            if (tag is null && scalar.Style != ScalarStyle.Plain) return JsonValue.Create(text);
            return tag switch
            {
                null when Null().IsMatch(text) => null,
                null when Boolean().IsMatch(text) => JsonValue.Create(text is "true" or "True" or "TRUE"),
                null when Integer(text, scalar, key) is { } integer => integer,
                null when Float().IsMatch(text) || NonFinite().IsMatch(text) => Number(scalar, key),
                null => JsonValue.Create(text),
                "tag:yaml.org,2002:str" => JsonValue.Create(text),
                "tag:yaml.org,2002:null" when Null().IsMatch(text) => null,
                "tag:yaml.org,2002:bool" when Boolean().IsMatch(text) => JsonValue.Create(text is "true" or "True" or "TRUE"),
                "tag:yaml.org,2002:int" when Integer(text, scalar, key) is { } integer => integer,
                "tag:yaml.org,2002:float" when Float().IsMatch(text) || NonFinite().IsMatch(text) => Number(scalar, key),
                _ => throw Refused(scalar, $"{Where(key)}: '{text}' is not a {tag.Replace("tag:yaml.org,2002:", "!!")} a settings file can hold"),
            };
        }

        /// <summary>A float, refused unless finite: settings are finite numbers, and JSON has no infinity or NaN.</summary>
        JsonNode Number(Scalar scalar, string key)
        {
            var value = NonFinite().IsMatch(scalar.Value) ? double.NaN : double.Parse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(value)) throw Refused(scalar, $"{Where(key)}: '{scalar.Value}' is not a finite number");
            return JsonValue.Create(value);
        }

        /// <summary>A core-schema integer (decimal, 0o octal or 0x hex) as a JSON number: a decimal one of any size, so one
        /// too large for its setting is refused as a value of the wrong kind, as in a JSON file; octal and hex up to 2^64 - 1.</summary>
        JsonNode? Integer(string text, Scalar scalar, string key)
        {
            if (Decimal().Match(text) is { Success: true } m)
                return JsonNode.Parse(m.Groups[1].Value + (m.Groups[2].Value.TrimStart('0') is { Length: > 0 } significant ? significant : "0"));
            var (digits, radix) = text.StartsWith("0x", StringComparison.Ordinal) && Hex().IsMatch(text[2..]) ? (text[2..], 16)
                : text.StartsWith("0o", StringComparison.Ordinal) && Octal().IsMatch(text[2..]) ? (text[2..], 8)
                : ("", 0);
            if (radix == 0) return null;
            var value = BigInteger.Zero;
            foreach (var digit in digits.TakeWhile(_ => value <= ulong.MaxValue)) value = value * radix + Convert.ToInt32(digit.ToString(), 16);
            if (value > ulong.MaxValue) throw Refused(scalar, $"{Where(key)}: '{text}' is above 2^64 - 1");
            return JsonValue.Create((ulong)value);
        }

        /// <summary>The next event, without consuming it (the parser's Current is the next unconsumed event once it moved).</summary>
        public ParsingEvent Peek() => parser.Current ?? (parser.MoveNext() ? parser.Current! : throw new YamlException("the file is empty"));

        public ParsingEvent Next()
        {
            var next = Peek();
            parser.MoveNext();
            return next;
        }

        public void Expect<T>(string? problem = null) where T : ParsingEvent
        {
            var next = Next();
            if (next is not T) throw Refused(next, problem ?? $"{next.GetType().Name} where {typeof(T).Name} was expected");
        }

        UserException Refused(ParsingEvent at, string problem) => new($"{origin}: line {at.Start.Line}: {problem}");
    }

    static string Where(string key) => key.Length == 0 ? "the top level" : key;

    [GeneratedRegex("^(~|null|Null|NULL|)\\z")] private static partial Regex Null();
    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE)\\z")] private static partial Regex Boolean();
    [GeneratedRegex(@"^(?:(-)|\+)?([0-9]+)\z")] private static partial Regex Decimal();
    [GeneratedRegex("^[0-9a-fA-F]+\\z")] private static partial Regex Hex();
    [GeneratedRegex("^[0-7]+\\z")] private static partial Regex Octal();
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")] private static partial Regex Float();
    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))\z")] private static partial Regex NonFinite();
}
