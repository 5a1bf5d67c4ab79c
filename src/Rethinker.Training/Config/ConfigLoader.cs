// Loads a run config: YAML file (snake_case keys, one section per phase) + `--set a.b=value` overrides,
// bound onto the option records by reflection so that every error names the option path and the
// expected type. YamlDotNet only parses; binding is ours for those messages.
using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rethinker.Training.Config;

public static class ConfigLoader
{
    /// <summary>Reads <paramref name="path"/> (null: all defaults), applies overrides "a.b=value" in order, binds and validates.</summary>
    public static T Load<T>(string? path, IEnumerable<string> overrides) where T : new()
    {
        var root = path is null ? new YamlMappingNode() : Parse(File.ReadAllText(path), path);
        foreach (var o in overrides) ApplyOverride(root, o);
        return (T)Bind(typeof(T), root, "", path ?? "<defaults>");
    }

    public static YamlMappingNode Parse(string yaml, string source)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0) return new YamlMappingNode();
            return stream.Documents[0].RootNode as YamlMappingNode
                   ?? throw new ConfigException($"{source}: the top level must be a mapping of sections (run:, grpo:, ...).");
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{source}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
    }

    /// <summary>"grpo.group_size=4": creates missing sections; the value is read as a YAML scalar or flow sequence ("[a, b]").</summary>
    public static void ApplyOverride(YamlMappingNode root, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"--set '{assignment}': expected KEY=VALUE with a dotted key, e.g. --set grpo.group_size=4.");
        string[] keys = assignment[..eq].Trim().Split('.');
        string value = assignment[(eq + 1)..];
        if (keys.Any(string.IsNullOrWhiteSpace)) throw new ConfigException($"--set '{assignment}': the key has an empty part.");
        var node = root;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            var key = new YamlScalarNode(keys[i]);
            if (!node.Children.TryGetValue(key, out var child)) { child = new YamlMappingNode(); node.Children[key] = child; }
            node = child as YamlMappingNode ?? throw new ConfigException($"--set '{assignment}': '{string.Join('.', keys[..(i + 1)])}' is a value, not a section.");
        }
        YamlNode parsed = value.TrimStart().StartsWith('[')
            ? Parse("v: " + value, $"--set '{assignment}'").Children[new YamlScalarNode("v")]
            : new YamlScalarNode(value);
        node.Children[new YamlScalarNode(keys[^1])] = parsed;
    }

    static object Bind(Type type, YamlNode node, string path, string source)
    {
        if (node is not YamlMappingNode map) throw new ConfigException($"{source}: '{path}' must be a section (a mapping), got a {Describe(node)}.");
        var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToDictionary(p => Naming.ToSnake(p.Name));
        object target = Activator.CreateInstance(type)!;
        foreach (var (k, v) in map.Children)
        {
            string key = ((YamlScalarNode)k).Value ?? "";
            string full = path.Length == 0 ? key : path + "." + key;
            if (!props.TryGetValue(key, out var prop))
                throw new ConfigException($"{source}: unknown option '{full}' (at line {k.Start.Line}); known{(path.Length == 0 ? " sections" : $" in {path}")}: {string.Join(", ", props.Keys)}.");
            prop.SetValue(target, BindValue(prop.PropertyType, v, full, source));
        }
        return target;
    }

    static object? BindValue(Type t, YamlNode node, string path, string source)
    {
        if (t == typeof(string[]))
        {
            if (node is not YamlSequenceNode seq) throw new ConfigException($"{source}: '{path}' must be a list of strings, e.g. [\"a\", \"b\"].");
            return seq.Children.Select(c => (c as YamlScalarNode)?.Value ?? throw new ConfigException($"{source}: '{path}' must hold strings only.")).ToArray();
        }
        if (!t.IsPrimitive && !t.IsEnum && t != typeof(string)) return Bind(t, node, path, source);
        if (node is not YamlScalarNode scalar) throw new ConfigException($"{source}: '{path}' must be a single value, got a {Describe(node)}.");
        string s = (scalar.Value ?? "").Trim();
        string expected;
        if (t == typeof(string)) return scalar.Value ?? "";
        if (t == typeof(int)) { if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) return i; expected = "an integer"; }
        else if (t == typeof(ulong)) { if (ulong.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong u)) return u; expected = "a non-negative integer"; }
        else if (t == typeof(float)) { if (float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f)) return f; expected = "a number"; }
        else if (t == typeof(bool)) { if (bool.TryParse(s, out bool b)) return b; expected = "true or false"; }
        else if (t.IsEnum)
        {
            string want = s.Replace('-', '_').ToLowerInvariant();
            foreach (var name in Enum.GetNames(t))
                if (Naming.ToSnake(name) == want) return Enum.Parse(t, name);
            expected = "one of " + string.Join(", ", Enum.GetNames(t).Select(Naming.ToSnake));
        }
        else throw new InvalidOperationException($"config binder: unsupported option type {t.Name} at {path}");
        throw new ConfigException($"{source}: '{path}' = '{s}' (line {node.Start.Line}) is not valid: expected {expected}.");
    }

    static string Describe(YamlNode n) => n switch { YamlMappingNode => "mapping", YamlSequenceNode => "list", _ => "scalar" };
}

/// <summary>PascalCase ↔ snake_case, the one naming rule of config keys and enum values.</summary>
public static class Naming
{
    public static string ToSnake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
