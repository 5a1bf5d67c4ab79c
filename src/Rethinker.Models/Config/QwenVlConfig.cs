// config.json of Qwen2-VL (`model_type` "qwen2_vl") and Qwen2.5-VL ("qwen2_5_vl"), as HF transformers
// 4.50 configuration_qwen2_vl.py / configuration_qwen2_5_vl.py read it. The JSON object is kept whole, so keys
// Rethinker does not know are written back unchanged. Left out: video-specific settings, sliding window, rope
// scaling other than mrope/default (an error says so).
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rethinker.Models.Config;

public enum QwenVlArchitecture { Qwen2VL, Qwen2_5VL }

public sealed class QwenVlConfig
{
    readonly JsonObject _raw;

    public QwenVlArchitecture Architecture { get; }
    public string ModelType => Architecture == QwenVlArchitecture.Qwen2VL ? "qwen2_vl" : "qwen2_5_vl";

    // text model (Qwen2 decoder)
    public int VocabSize { get; }
    public int HiddenSize { get; }
    public int IntermediateSize { get; }
    public int NumLayers { get; }
    public int NumHeads { get; }
    public int NumKvHeads { get; }
    public int HeadDim => HiddenSize / NumHeads;
    public float RmsNormEps { get; }
    public double RopeTheta { get; }
    /// <summary>"mrope" or "default" (both carry mrope_section; the config classes rewrite the first to the second).</summary>
    public string RopeType { get; }
    /// <summary>Rotary frequency counts for the temporal, height and width position ids; sums to HeadDim / 2.</summary>
    public int[] MropeSection { get; }
    public bool TieWordEmbeddings { get; }
    public float InitializerRange { get; }
    public int MaxPositionEmbeddings { get; }

    // special tokens
    public int? BosTokenId { get; }
    public int[] EosTokenIds { get; }
    public int? PadTokenId { get; }
    public int ImageTokenId { get; }
    public int VideoTokenId { get; }
    public int VisionStartTokenId { get; }
    public int VisionEndTokenId { get; }
    public int VisionTokenId { get; }

    public QwenVisionConfig Vision { get; }

    QwenVlConfig(JsonObject raw, string source)
    {
        _raw = raw;
        var r = new JsonConfigReader(raw, source);
        string modelType = r.String("model_type");
        Architecture = modelType switch
        {
            "qwen2_vl" => QwenVlArchitecture.Qwen2VL,
            "qwen2_5_vl" => QwenVlArchitecture.Qwen2_5VL,
            _ => throw new InvalidDataException($"{source}: 'model_type' is '{modelType}'; supported: qwen2_vl, qwen2_5_vl"),
        };
        VocabSize = Positive(r.Int("vocab_size"), "vocab_size", source);
        HiddenSize = Positive(r.Int("hidden_size"), "hidden_size", source);
        IntermediateSize = Positive(r.Int("intermediate_size"), "intermediate_size", source);
        NumLayers = Positive(r.Int("num_hidden_layers"), "num_hidden_layers", source);
        NumHeads = Positive(r.Int("num_attention_heads"), "num_attention_heads", source);
        NumKvHeads = Positive(r.Int("num_key_value_heads", NumHeads), "num_key_value_heads", source);
        if (HiddenSize % NumHeads != 0)
            throw new InvalidDataException($"{source}: 'hidden_size' {HiddenSize} is not divisible by 'num_attention_heads' {NumHeads}");
        if (NumHeads % NumKvHeads != 0)
            throw new InvalidDataException($"{source}: 'num_attention_heads' {NumHeads} is not divisible by 'num_key_value_heads' {NumKvHeads}");
        string act = r.String("hidden_act", "silu");
        if (act != "silu") throw new InvalidDataException($"{source}: 'hidden_act' '{act}' is not supported (the Qwen2 decoder uses silu)");
        RmsNormEps = (float)r.Double("rms_norm_eps", 1e-6);
        RopeTheta = r.Double("rope_theta", 1_000_000.0);
        TieWordEmbeddings = r.Bool("tie_word_embeddings", false);
        InitializerRange = (float)r.Double("initializer_range", 0.02);
        MaxPositionEmbeddings = r.Int("max_position_embeddings", 32768);

        var rope = r.Child("rope_scaling");
        RopeType = rope.Has("type") ? rope.String("type") : rope.String("rope_type", "default");
        if (RopeType is not ("mrope" or "default"))
            throw new InvalidDataException($"{source}: 'rope_scaling.type' is '{RopeType}'; supported: mrope, default");
        MropeSection = rope.IntArray("mrope_section");
        if (MropeSection.Length != 3 || MropeSection.Any(s => s < 0) || MropeSection.Sum() * 2 != HeadDim)
            throw new InvalidDataException(
                $"{source}: 'rope_scaling.mrope_section' [{string.Join(", ", MropeSection)}] must be 3 non-negative sizes summing to head_dim/2 = {HeadDim / 2}");

        BosTokenId = r.IntOrNull("bos_token_id");
        EosTokenIds = r.IntOrIntArray("eos_token_id");
        PadTokenId = r.IntOrNull("pad_token_id");
        ImageTokenId = r.Int("image_token_id", 151655);
        VideoTokenId = r.Int("video_token_id", 151656);
        VisionStartTokenId = r.Int("vision_start_token_id", 151652);
        VisionEndTokenId = r.Int("vision_end_token_id", 151653);
        VisionTokenId = r.Int("vision_token_id", 151654);

        Vision = new QwenVisionConfig(Architecture, r.Child("vision_config"), source);
        if (Vision.OutHidden != HiddenSize)
            throw new InvalidDataException(
                $"{source}: the vision merger outputs {Vision.OutHidden} features ('vision_config.{(Architecture == QwenVlArchitecture.Qwen2VL ? "hidden_size" : "out_hidden_size")}') but the text model's 'hidden_size' is {HiddenSize}");
    }

    static int Positive(int v, string key, string source) =>
        v > 0 ? v : throw new InvalidDataException($"{source}: '{key}' must be positive, got {v}");

    public static QwenVlConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: config.json not found", path);
        return Parse(File.ReadAllText(path), path);
    }

    public static QwenVlConfig Parse(string json, string source = "config.json")
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON ({e.Message})"); }
        return node is JsonObject o ? new QwenVlConfig(o, source) : throw new InvalidDataException($"{source}: expected a JSON object");
    }

    public static QwenVlConfig FromJson(JsonObject o, string source = "config.json") => new((JsonObject)o.DeepClone(), source);

    /// <summary>The whole config, unknown keys included (a copy: edit it and call <see cref="FromJson"/> for a variant).</summary>
    public JsonObject ToJson() => (JsonObject)_raw.DeepClone();

    public string ToJsonString() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public void Save(string path) => File.WriteAllText(path, ToJsonString() + "\n");
}
