// The embedded policy: Qwen2-VL / Qwen2.5-VL on our engine as an IGenerator (KV-cached, continuously batched
// sampling) and an ITrainablePolicy (packed response log-probs with autograd). One prefill and one image encoding
// serve all N samples of a request; a finished sequence frees its slot and a waiting request takes it.
using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;

namespace Rethinker.Models.Generation;

/// <summary>Turns RGB images into the vision tower's input: pixel_values [Σ patches, patchDim] and one grid per image.</summary>
public delegate (Tensor PixelValues, GridThw[] Grids) ImagePreprocessor(IReadOnlyList<RgbImage> images);

public sealed record GeneratorOptions
{
    /// <summary>Sequences decoded together (KV-cache slots in use at once).</summary>
    public int MaxBatch { get; init; } = 64;
    /// <summary>Prompt tokens prefilled in one forward; longer prompts run alone.</summary>
    public int PrefillTokenBudget { get; init; } = 4096;
    /// <summary>Called for every sampled token (request index, sample index, token id): console streaming.</summary>
    public Action<int, int, int>? OnToken { get; init; }
}

public sealed class EmbeddedPolicy : ITrainablePolicy
{
    readonly ImagePreprocessor _images;
    readonly GeneratorOptions _options;

    public EmbeddedPolicy(QwenVlModel model, ITokenCodec tokenizer, ImagePreprocessor images, GeneratorOptions? options = null)
    {
        Model = model;
        Tokenizer = tokenizer;
        _images = images;
        _options = options ?? new GeneratorOptions();
    }

    public QwenVlModel Model { get; }
    public ITokenCodec Tokenizer { get; }
    /// <summary>The image processor this policy feeds its tower with (pixel_values + grids).</summary>
    public ImagePreprocessor PreprocessImages => _images;

    public string Decode(ReadOnlySpan<int> tokenIds, bool skipSpecialTokens = true) => Tokenizer.Decode(tokenIds, skipSpecialTokens);
    public int[] Encode(string text) => Tokenizer.Encode(text);
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Model.NamedParameters();
    public void Save(string directory) => Model.Save(directory);

    /// <summary>A prompt made ready for the model: image pads expanded, pixel values computed.</summary>
    internal sealed record PreparedPrompt(int[] Ids, Tensor? PixelValues, GridThw[] Grids);

    internal PreparedPrompt Prepare(int[] promptIds, IReadOnlyList<RgbImage> images, int[] suffix)
    {
        int[] ids = [.. promptIds, .. suffix];
        if (images.Count == 0) return new PreparedPrompt(ids, null, []);
        var (pixels, grids) = _images(images);
        return new PreparedPrompt(ImagePadExpansion.Expand(ids, grids, Model.Config), pixels, grids);
    }

    public IReadOnlyList<Completion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options, CancellationToken cancellationToken = default)
    {
        using var _ = Autograd.NoGrad();
        using var run = new DecodeRun(this, requests, options, _options);
        return run.Execute(cancellationToken);
    }

    /// <summary>
    /// Log-probs of every response token given its prompt and images, packed in batch order [Σ |response|].
    /// Logits are formed only at the rows that predict response tokens, so a [T × V] matrix is never built.
    /// </summary>
    public Tensor ResponseLogProbs(IReadOnlyList<PolicySequence> batch)
    {
        var ids = new List<int>();
        var cu = new List<int> { 0 };
        var rows = new List<int>();
        var targets = new List<int>();
        var pixels = new List<Tensor>();
        var grids = new List<GridThw>();
        foreach (var seq in batch)
        {
            var p = Prepare(seq.PromptTokenIds, seq.Images, seq.ResponseTokenIds);
            int start = ids.Count, promptLen = p.Ids.Length - seq.ResponseTokenIds.Length;
            ids.AddRange(p.Ids);
            cu.Add(ids.Count);
            for (int j = 0; j < seq.ResponseTokenIds.Length; j++)
            {
                rows.Add(start + promptLen + j - 1); // the row before a token predicts it
                targets.Add(seq.ResponseTokenIds[j]);
            }
            if (p.PixelValues is not null) { pixels.Add(p.PixelValues); grids.AddRange(p.Grids); }
        }
        if (rows.Any(r => r < 0)) throw new ArgumentException("every sequence needs at least one prompt token before its response");
        var inputs = new QwenVlInputs([.. ids], [.. cu], pixels.Count == 0 ? null : pixels.Count == 1 ? pixels[0] : Ops.Concat(pixels, 0), grids);
        var (positions, _) = Model.Positions(inputs);
        Tensor? imageEmbeds = grids.Count > 0 ? Model.Visual.Forward(inputs.PixelValues!, grids) : null;
        var hidden = Model.Model.Forward(Model.EmbedWithImages(inputs.InputIds, imageEmbeds), positions, inputs.CuSeqlens);
        var logits = Ops.Linear(Ops.IndexSelect(hidden, 0, rows.ToArray()), Model.OutputWeight); // [R, V]
        return Ops.TokenLogProbs(logits, targets.ToArray());
    }
}
