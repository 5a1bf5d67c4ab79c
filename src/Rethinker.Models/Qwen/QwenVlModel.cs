// Qwen2-VL / Qwen2.5-VL for conditional generation (HF Qwen2VLForConditionalGeneration and the 2.5 twin):
// `visual` encodes the images, their features replace the <|image_pad|> token embeddings in order, `model`
// (the Qwen2 decoder) runs with M-RoPE positions from get_rope_index, `lm_head` (or the tied embedding) gives
// logits. Sequences are packed (cu_seqlens), not padded. Tensor names follow the hub layout.
using Rethinker.Models.Config;
using Rethinker.Models.Modules;
using Rethinker.Tensors;

namespace Rethinker.Models.Qwen;

/// <summary>
/// One forward's inputs: packed token ids [T] split by CuSeqlens [nSeq + 1]; images in order of appearance
/// across the sequences: PixelValues [Σ patches, PatchDim] with one grid per image (null/empty when text only).
/// </summary>
public sealed record QwenVlInputs(int[] InputIds, int[] CuSeqlens, Tensor? PixelValues, IReadOnlyList<GridThw> ImageGrids)
{
    public static QwenVlInputs Single(int[] inputIds, Tensor? pixelValues = null, IReadOnlyList<GridThw>? grids = null) =>
        new(inputIds, [0, inputIds.Length], pixelValues, grids ?? []);
}

/// <summary>Logits [T, V]; position ids [3, T] axis-major; one rope delta per sequence; image embeddings (or null).</summary>
public sealed record QwenVlOutput(Tensor Logits, Tensor Hidden, int[] PositionIds, int[] RopeDeltas, Tensor? ImageEmbeds, List<Tensor>? HiddenStates);

public sealed class QwenVlModel : ParamModule
{
    public QwenVlConfig Config { get; }
    public VisionTower Visual { get; }
    public TextDecoder Model { get; }
    /// <summary>Null when the embeddings are tied (the output projection reuses model.embed_tokens.weight).</summary>
    public Dense? LmHead { get; }
    /// <summary>generation_config.json to write back on save (null: built from the config's token ids).</summary>
    public System.Text.Json.Nodes.JsonObject? GenerationConfig { get; set; }

    public QwenVlModel(QwenVlConfig config, ModelBuild build) : base(build)
    {
        Config = config;
        Visual = Child("visual", new VisionTower(build, config.Architecture, config.Vision));
        Model = Child("model", new TextDecoder(build, config));
        if (!config.TieWordEmbeddings) LmHead = Child("lm_head", new Dense(build, config.HiddenSize, config.VocabSize, bias: false));
    }

    /// <summary>A randomly initialised model (HF-like: normal(0, initializer_range), norms 1, biases 0).</summary>
    public static QwenVlModel CreateRandom(QwenVlConfig config, ulong seed) => new(config, ModelBuild.Random(seed, config.InitializerRange));

    /// <summary>Names and shapes only; nothing allocated.</summary>
    public static QwenVlModel CreateMeta(QwenVlConfig config) => new(config, ModelBuild.MetaOnly());

    /// <summary>Loads config.json, generation_config.json and the safetensors weights of a model directory.</summary>
    public static QwenVlModel Load(string directory) => QwenVlCheckpoint.Load(directory);

    public void Save(string directory, SafeTensors.SafeTensorDType dtype = SafeTensors.SafeTensorDType.F32) => QwenVlCheckpoint.Save(this, directory, dtype);

    /// <summary>Output projection weight [V, C]: lm_head.weight, or the embedding when tied.</summary>
    public Tensor OutputWeight => LmHead?.Weight ?? Model.EmbedTokens.Weight;

    public QwenVlOutput Forward(QwenVlInputs inputs, VisionTrace? trace = null, bool keepHiddenStates = false, IKvCache? cache = null)
    {
        EnsureReal();
        var (positions, deltas) = Positions(inputs);
        Tensor? imageEmbeds = null;
        if (inputs.ImageGrids.Count > 0)
        {
            if (inputs.PixelValues is null) throw new ArgumentException("image grids were given without pixel_values");
            imageEmbeds = Visual.Forward(inputs.PixelValues, inputs.ImageGrids, trace);
        }
        var embeds = EmbedWithImages(inputs.InputIds, imageEmbeds);
        var hs = keepHiddenStates ? new List<Tensor>() : null;
        var hidden = Model.Forward(embeds, positions, inputs.CuSeqlens, cache, hs);
        if (hs is null && !ReferenceEquals(embeds, imageEmbeds)) Scratch.Free(embeds);
        var logits = Ops.Linear(hidden, OutputWeight);
        return new QwenVlOutput(logits, hidden, positions, deltas, imageEmbeds, hs);
    }

    /// <summary>
    /// Mean next-token cross-entropy: position i of a sequence predicts labels[i + 1] of the same sequence (HF's
    /// shift); labels equal to -100 are ignored. labels is aligned with InputIds.
    /// </summary>
    public (Tensor Loss, QwenVlOutput Output) ForwardWithLoss(QwenVlInputs inputs, ReadOnlySpan<int> labels)
    {
        if (labels.Length != inputs.InputIds.Length)
            throw new ArgumentException($"labels has {labels.Length} entries, input_ids {inputs.InputIds.Length}");
        var output = Forward(inputs);
        var targets = ShiftLabels(labels, inputs.CuSeqlens);
        return (Ops.CrossEntropy(output.Logits, targets, ignoreIndex: -100), output);
    }

    public static int[] ShiftLabels(ReadOnlySpan<int> labels, ReadOnlySpan<int> cuSeqlens)
    {
        var t = new int[labels.Length];
        for (int s = 0; s + 1 < cuSeqlens.Length; s++)
        {
            int a = cuSeqlens[s], b = cuSeqlens[s + 1];
            for (int i = a; i < b; i++) t[i] = i + 1 < b ? labels[i + 1] : -100;
        }
        return t;
    }

    /// <summary>get_rope_index per packed sequence, each sequence taking its images in order.</summary>
    public (int[] PositionIds, int[] RopeDeltas) Positions(QwenVlInputs inputs)
    {
        var cu = inputs.CuSeqlens;
        int T = inputs.InputIds.Length;
        if (cu.Length < 2 || cu[0] != 0 || cu[^1] != T)
            throw new ArgumentException($"cu_seqlens must run from 0 to the number of tokens {T}, got [{string.Join(", ", cu)}]");
        var pos = new int[3 * T];
        var deltas = new int[cu.Length - 1];
        int image = 0;
        for (int s = 0; s + 1 < cu.Length; s++)
        {
            var ids = inputs.InputIds.AsSpan(cu[s], cu[s + 1] - cu[s]);
            int count = 0;
            for (int i = 0; i + 1 < ids.Length; i++)
                if (ids[i] == Config.VisionStartTokenId && ids[i + 1] == Config.ImageTokenId) count++;
            if (image + count > inputs.ImageGrids.Count)
                throw new ArgumentException($"sequence {s} holds images {image}..{image + count - 1} but only {inputs.ImageGrids.Count} image grids were given");
            var grids = inputs.ImageGrids.Skip(image).Take(count).ToArray();
            image += count;
            var r = MropePositions.Compute(ids, grids, Config);
            for (int a = 0; a < 3; a++) r.Axis(a).CopyTo(pos.AsSpan(a * T + cu[s], ids.Length));
            deltas[s] = r.RopeDelta;
        }
        return (pos, deltas);
    }

    /// <summary>Token embeddings [T, C] with the rows of &lt;|image_pad|&gt; tokens replaced, in order, by imageEmbeds rows.</summary>
    public Tensor EmbedWithImages(ReadOnlySpan<int> inputIds, Tensor? imageEmbeds)
    {
        var text = Model.EmbedTokens.Forward(inputIds);
        int pads = 0;
        foreach (int id in inputIds) if (id == Config.ImageTokenId) pads++;
        int features = imageEmbeds?.Dim(0) ?? 0;
        if (pads != features)
            throw new ArgumentException($"image features and image tokens do not match: {pads} <|image_pad|> tokens (id {Config.ImageTokenId}), {features} image feature rows");
        if (features == 0) return text;
        // One differentiable gather over [text rows; image rows]: gradients reach both the embedding and the vision tower.
        var both = Ops.Concat([text, imageEmbeds!], 0);
        Scratch.Free(text);
        var index = new int[inputIds.Length];
        int k = 0;
        for (int i = 0; i < inputIds.Length; i++) index[i] = inputIds[i] == Config.ImageTokenId ? inputIds.Length + k++ : i;
        var embeds = Ops.IndexSelect(both, 0, index);
        Scratch.Free(both);
        return embeds;
    }
}
