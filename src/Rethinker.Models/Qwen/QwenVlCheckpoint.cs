// Loads and saves Qwen-VL model directories in Hugging Face layout. Accepts the hub tensor names
// (`visual.*`, `model.*`, `lm_head.weight`) and the newer transformers ones (`model.visual.*`,
// `model.language_model.*`); writes the hub names, config.json and generation_config.json. Weights are
// converted from the memory-mapped files straight into the parameters, one tensor at a time.
using System.Text.Json;
using System.Text.Json.Nodes;
using Rethinker.Models.Config;
using Rethinker.Models.Modules;
using Rethinker.Models.SafeTensors;

namespace Rethinker.Models.Qwen;

public static class QwenVlCheckpoint
{
    /// <summary>Maps a checkpoint tensor name to the hub name (identity for hub names).</summary>
    public static string ToHubName(string name) =>
        name.StartsWith("model.visual.", StringComparison.Ordinal) ? name["model.".Length..]
        : name.StartsWith("model.language_model.", StringComparison.Ordinal) ? "model." + name["model.language_model.".Length..]
        : name;

    public static QwenVlModel Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: model directory not found");
        var config = QwenVlConfig.Load(Path.Combine(directory, "config.json"));
        var model = new QwenVlModel(config, ModelBuild.ForLoading());
        string gen = Path.Combine(directory, "generation_config.json");
        if (File.Exists(gen))
        {
            try { model.GenerationConfig = JsonNode.Parse(File.ReadAllText(gen)) as JsonObject; }
            catch (JsonException e) { throw new InvalidDataException($"{gen}: not valid JSON ({e.Message})"); }
        }
        using var ck = SafeTensorsCheckpoint.Open(directory);
        LoadWeights(model, ck);
        return model;
    }

    /// <summary>Copies every parameter from the checkpoint; all missing, unexpected and mis-shaped tensors are reported together.</summary>
    public static void LoadWeights(QwenVlModel model, SafeTensorsCheckpoint ck)
    {
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        var source = new Dictionary<string, string>(StringComparer.Ordinal);   // hub name → checkpoint name
        var problems = new List<string>();
        foreach (string name in ck.Names)
        {
            string hub = ToHubName(name);
            if (!source.TryAdd(hub, name)) problems.Add($"tensor '{hub}' appears twice (as '{source[hub]}' and '{name}')");
        }
        foreach (var (name, p) in parameters)
        {
            if (!source.TryGetValue(name, out var file)) { problems.Add($"missing tensor '{name}' [{string.Join(", ", p.Shape)}]"); continue; }
            var e = ck.Entry(file);
            if (!e.DType.IsFloat()) problems.Add($"tensor '{file}' has dtype {e.DType.ToHeaderString()}, expected F32, F16 or BF16");
            else if (!e.Shape.SequenceEqual(p.Shape))
                problems.Add($"tensor '{file}' has shape [{string.Join(", ", e.Shape)}], the model expects [{string.Join(", ", p.Shape)}]");
        }
        foreach (var (hub, file) in source)
            if (!parameters.ContainsKey(hub) && !(hub == "lm_head.weight" && model.Config.TieWordEmbeddings))
                problems.Add($"unexpected tensor '{file}' (no such parameter in a {model.Config.ModelType} model with this config)");
        if (problems.Count > 0)
            throw new InvalidDataException($"{ck.Directory}: checkpoint does not match config.json: " + string.Join("; ", problems.Take(12))
                + (problems.Count > 12 ? $"; … and {problems.Count - 12} more" : ""));
        foreach (var (name, p) in parameters) ck.ReadSingle(source[name], p.Span);
    }

    public static void Save(QwenVlModel model, string directory, SafeTensorDType dtype = SafeTensorDType.F32, long maxShardBytes = 5_000_000_000)
    {
        if (model.IsMeta) throw new InvalidOperationException("a meta (shape-only) model has no weights to save");
        Directory.CreateDirectory(directory);
        var tensors = model.NamedParameters()
            .Select(p => SafeTensorWrite.Float(p.Name, p.Parameter.Shape, () => p.Parameter.Span, dtype))
            .ToList();
        SafeTensorsCheckpoint.Save(directory, tensors, maxShardBytes);
        var cfg = model.Config.ToJson();
        cfg["torch_dtype"] = dtype switch { SafeTensorDType.BF16 => "bfloat16", SafeTensorDType.F16 => "float16", _ => "float32" };
        File.WriteAllText(Path.Combine(directory, "config.json"), cfg.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var gen = model.GenerationConfig is { } g ? (JsonObject)g.DeepClone() : DefaultGenerationConfig(model.Config);
        File.WriteAllText(Path.Combine(directory, "generation_config.json"), gen.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    static JsonObject DefaultGenerationConfig(QwenVlConfig c)
    {
        var o = new JsonObject { ["_from_model_config"] = true };
        if (c.BosTokenId is int bos) o["bos_token_id"] = bos;
        if (c.EosTokenIds.Length == 1) o["eos_token_id"] = c.EosTokenIds[0];
        else if (c.EosTokenIds.Length > 1) o["eos_token_id"] = new JsonArray(c.EosTokenIds.Select(x => (JsonNode?)x).ToArray());
        if (c.PadTokenId is int pad) o["pad_token_id"] = pad;
        return o;
    }
}
