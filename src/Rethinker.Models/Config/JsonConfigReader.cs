// Typed reads from a JSON object with errors that name the file and the key (`vision_config.depth`).
// Used by the config classes; defaults mirror HF transformers' config class defaults.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rethinker.Models.Config;

internal sealed class JsonConfigReader(JsonObject obj, string source, string prefix = "")
{
    public JsonObject Object => obj;

    public bool Has(string key) => obj.TryGetPropertyValue(key, out var v) && v is not null;

    string Where(string key) => $"{source}: '{prefix}{key}'";

    JsonNode Required(string key) =>
        obj.TryGetPropertyValue(key, out var v) && v is not null ? v : throw new InvalidDataException($"{Where(key)} is required but missing");

    public int Int(string key) => AsInt(key, Required(key));
    public int Int(string key, int fallback) => Has(key) ? AsInt(key, obj[key]!) : fallback;
    public int? IntOrNull(string key) => Has(key) ? AsInt(key, obj[key]!) : null;
    public double Double(string key, double fallback) => Has(key) ? AsDouble(key, obj[key]!) : fallback;
    public bool Bool(string key, bool fallback) => Has(key) ? AsBool(key, obj[key]!) : fallback;
    public string String(string key) => AsString(key, Required(key));
    public string String(string key, string fallback) => Has(key) ? AsString(key, obj[key]!) : fallback;

    public int[] IntArray(string key) => AsIntArray(key, Required(key));
    public int[] IntArray(string key, int[] fallback) => Has(key) ? AsIntArray(key, obj[key]!) : fallback;

    /// <summary>An int or a list of ints (HF allows eos_token_id to be either).</summary>
    public int[] IntOrIntArray(string key) =>
        !Has(key) ? [] : obj[key]!.GetValueKind() == JsonValueKind.Array ? AsIntArray(key, obj[key]!) : [AsInt(key, obj[key]!)];

    public JsonConfigReader Child(string key)
    {
        var node = Required(key);
        return node is JsonObject o ? new JsonConfigReader(o, source, prefix + key + ".") : throw new InvalidDataException($"{Where(key)} must be an object");
    }

    public JsonConfigReader? ChildOrNull(string key) =>
        Has(key) ? (obj[key] is JsonObject o ? new JsonConfigReader(o, source, prefix + key + ".") : throw new InvalidDataException($"{Where(key)} must be an object")) : null;

    int AsInt(string key, JsonNode n)
    {
        if (TryNumber(n, out double d) && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue) return (int)d;
        throw new InvalidDataException($"{Where(key)} must be an integer, got {n.ToJsonString()}");
    }

    double AsDouble(string key, JsonNode n) =>
        TryNumber(n, out double d) ? d : throw new InvalidDataException($"{Where(key)} must be a number, got {n.ToJsonString()}");

    /// <summary>Numbers parsed from text and numbers put in by code (int, long, float, double) alike.</summary>
    static bool TryNumber(JsonNode n, out double d)
    {
        d = 0;
        if (n is not JsonValue v || n.GetValueKind() != JsonValueKind.Number) return false;
        if (v.TryGetValue(out d)) return true;
        if (v.TryGetValue(out long l)) { d = l; return true; }
        if (v.TryGetValue(out int i)) { d = i; return true; }
        if (v.TryGetValue(out float f)) { d = f; return true; }
        if (v.TryGetValue(out decimal m)) { d = (double)m; return true; }
        return false;
    }

    bool AsBool(string key, JsonNode n) => n.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new InvalidDataException($"{Where(key)} must be true or false, got {n.ToJsonString()}"),
    };

    string AsString(string key, JsonNode n) =>
        n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : throw new InvalidDataException($"{Where(key)} must be a string, got {n.ToJsonString()}");

    int[] AsIntArray(string key, JsonNode n)
    {
        if (n is not JsonArray a) throw new InvalidDataException($"{Where(key)} must be a list of integers, got {n.ToJsonString()}");
        var r = new int[a.Count];
        for (int i = 0; i < a.Count; i++)
            r[i] = a[i] is { } x ? AsInt($"{key}[{i}]", x) : throw new InvalidDataException($"{Where(key)}[{i}] is null");
        return r;
    }
}
