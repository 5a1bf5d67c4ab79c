// Opens a Hugging Face model directory as an embedded policy: config.json + safetensors (the model),
// tokenizer.json (+ tokenizer_config.json), preprocessor_config.json (the image processor; HF defaults if absent).
using Rethinker.Models.Imaging;
using Rethinker.Models.Qwen;
using Rethinker.Models.Tokenization;
using Rethinker.Tensors;

namespace Rethinker.Models.Generation;

public static class PolicyLoader
{
    /// <param name="tokenizer">The directory's tokenizer when the caller has loaded it already (else read here).</param>
    /// <param name="processor">Likewise for the image processor.</param>
    public static EmbeddedPolicy Load(string directory, GeneratorOptions? options = null, BpeTokenizer? tokenizer = null, QwenImageProcessor? processor = null)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"model directory '{directory}' does not exist");
        string tokenizerPath = Path.Combine(directory, "tokenizer.json");
        if (!File.Exists(tokenizerPath)) throw new FileNotFoundException($"{tokenizerPath}: missing; a model directory needs its tokenizer.json", tokenizerPath);
        var model = QwenVlModel.Load(directory);
        tokenizer ??= BpeTokenizer.Load(directory);
        return new EmbeddedPolicy(model, new BpeTokenCodec(tokenizer), AsPreprocessor(processor ?? LoadImageProcessor(directory)), options);
    }

    public static QwenImageProcessor LoadImageProcessor(string directory)
    {
        string path = Path.Combine(directory, "preprocessor_config.json");
        return File.Exists(path) ? QwenImageProcessor.FromFile(path) : new QwenImageProcessor(new QwenImageProcessorOptions());
    }

    public static ImagePreprocessor ImageProcessorFor(string directory) => AsPreprocessor(LoadImageProcessor(directory));

    public static ImagePreprocessor AsPreprocessor(QwenImageProcessor processor) => images =>
    {
        var p = processor.Process(images);
        return (Tensor.FromArray(p.PixelValues, p.Patches, p.PatchDim), p.GridThw.Select(g => new GridThw(g[0], g[1], g[2])).ToArray());
    };
}
