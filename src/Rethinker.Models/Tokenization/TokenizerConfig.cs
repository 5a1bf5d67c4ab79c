// tokenizer_config.json (transformers): the special token names (string or {"content": …} forms), the
// chat template string (kept verbatim, not executed: our template is Qwen2VlChatTemplate) and the rest of
// the file as a JSON object, so that a tokenizer saved back keeps what we do not interpret.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rethinker.Models.Tokenization;

public sealed record TokenizerConfig(string? BosToken, string? EosToken, string? PadToken, string? UnkToken,
    IReadOnlyList<string> AdditionalSpecialTokens, string? ChatTemplate, JsonObject Raw)
{
    public static TokenizerConfig Empty => new(null, null, null, null, [], null, new JsonObject());

    public static TokenizerConfig Load(string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
        if (node is not JsonObject obj) throw new InvalidDataException($"{path}: expected a JSON object");
        return FromJson(obj, path);
    }

    public static TokenizerConfig FromJson(JsonObject obj, string source = "tokenizer_config.json")
    {
        string? Token(string key) => obj[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonObject o when o["content"] is JsonValue c && c.TryGetValue(out string? s) => s,
            var other => throw new InvalidDataException($"{source}: '{key}' should be a string or {{\"content\": …}}, got {other.ToJsonString()}"),
        };
        var extra = new List<string>();
        if (obj["additional_special_tokens"] is JsonArray arr)
            foreach (var item in arr)
                extra.Add(item switch
                {
                    JsonValue v when v.TryGetValue(out string? s) => s,
                    JsonObject o when o["content"]?.GetValue<string>() is string s => s,
                    _ => throw new InvalidDataException($"{source}: additional_special_tokens holds {item?.ToJsonString()}, expected strings"),
                });
        return new TokenizerConfig(Token("bos_token"), Token("eos_token"), Token("pad_token"), Token("unk_token"), extra, ChatTemplateOf(obj, source), obj);
    }

    // "chat_template" is a string, or a list of {"name", "template"} of which "default" is the one used.
    static string? ChatTemplateOf(JsonObject obj, string source) => obj["chat_template"] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray a => a.OfType<JsonObject>().FirstOrDefault(t => t["name"]?.GetValue<string>() == "default")?["template"]?.GetValue<string>(),
        var other => throw new InvalidDataException($"{source}: 'chat_template' should be a string, got {other.ToJsonString()}"),
    };

    public void Save(string path)
    {
        var obj = (JsonObject)Raw.DeepClone();
        void Set(string key, string? value) { if (value is not null) obj[key] = value; }
        Set("bos_token", BosToken); Set("eos_token", EosToken); Set("pad_token", PadToken); Set("unk_token", UnkToken);
        if (AdditionalSpecialTokens.Count > 0) obj["additional_special_tokens"] = new JsonArray(AdditionalSpecialTokens.Select(t => (JsonNode)t).ToArray());
        if (obj["chat_template"] is null) Set("chat_template", ChatTemplate);
        File.WriteAllText(path, obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
