// Part of the `synth` suite: what one SFT step of the tiny preset costs on the synthetic data, the
// measurement behind the preset's size. A BPE tokenizer is trained on the generated corpus, the tiny
// Qwen2.5-VL model is initialised at random, and packed batches of 8 examples (chat template, image,
// CoT trace) run forward + backward. Reports training tokens/s and seconds per batch, and the vision-pretraining
// step (VisionPretrainer: 32 images, tower forward + backward + reconstruction + AdamW) in images/s.
using System.Diagnostics;
using Rethinker.Data.Presets;
using Rethinker.Data.Synthetic;
using Rethinker.Models.Config;
using Rethinker.Models.Imaging;
using Rethinker.Models.Qwen;
using Rethinker.Models.Tokenization;
using Rethinker.Tensors;

namespace Rethinker.Bench.Suites;

internal static class SynthTinyModel
{
    static readonly string[] QwenSpecials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"];

    public static void Run(BenchReport report)
    {
        var o = new SynthOptions { Seed = 1 };
        var examples = Enumerable.Range(0, 400).Select(i => SyntheticGenerator.Make(o, 0, i, encodePng: false)).ToList();
        var trainer = new BpeTrainer(new BpeTrainerOptions(1024, QwenSpecials));
        foreach (var ex in examples) { trainer.Feed(ex.Row.Question); trainer.Feed(ex.Row.Traces!.Cot!); }
        var tok = trainer.Train();
        var ids = new SpecialTokenIds(tok.VocabSize, null, tok.RequireId("<|im_end|>"), tok.RequireId("<|endoftext|>"), tok.RequireId("<|vision_start|>"),
            tok.RequireId("<|vision_end|>"), tok.RequireId("<|vision_pad|>"), tok.RequireId("<|image_pad|>"), tok.RequireId("<|video_pad|>"));
        var model = QwenVlModel.CreateRandom(QwenVlConfig.FromJson(ModelPresets.Config("tiny", ids)), 1);
        var pre = ModelPresets.Preprocessor("tiny");
        var processor = new QwenImageProcessor(new QwenImageProcessorOptions { MinPixels = (int)pre["min_pixels"]!, MaxPixels = (int)pre["max_pixels"]! });
        var template = new Qwen2VlChatTemplate(tok);

        const int B = 8;
        var batches = examples.Chunk(B).Take(12).Select(chunk => Pack(chunk, processor, template)).ToList();
        double tokens = 0, seconds = 0;
        for (int i = 0; i < batches.Count; i++)
        {
            var (inputs, labels) = batches[i];
            var sw = Stopwatch.StartNew();
            var (loss, _) = model.ForwardWithLoss(inputs, labels);
            loss.Backward();
            foreach (var (_, w) in model.NamedParameters()) w.ZeroGrad();
            if (i < 2) continue;   // warm-up
            seconds += sw.Elapsed.TotalSeconds;
            tokens += inputs.InputIds.Length;
        }
        var p = new Dictionary<string, object> { ["batch"] = B, ["params"] = ModelSizes.Of(model).Total, ["tokens_per_batch"] = Math.Round(tokens / (batches.Count - 2)) };
        report.Add("tiny sft fwd+bwd", p, Environment.ProcessorCount, tokens / seconds, "tokens/s");
        report.Add("tiny sft fwd+bwd", p, Environment.ProcessorCount, seconds / (batches.Count - 2), "s/batch");

        var images = examples.Select(e => e.Image.ToImage()).ToList();
        var preprocess = Rethinker.Models.Generation.PolicyLoader.AsPreprocessor(processor);
        var options = new Rethinker.Training.Vision.VisionPretrainOptions { Steps = 2, ImagesPerBatch = 32 };
        Rethinker.Training.Vision.VisionPretrainer.Run(model, preprocess, images, options);   // warm-up
        var timer = Stopwatch.StartNew();
        Rethinker.Training.Vision.VisionPretrainer.Run(model, preprocess, images, options with { Steps = 10 });
        var pv = new Dictionary<string, object> { ["images_per_step"] = 32, ["image_size"] = o.ImageSize, ["vision_params"] = ModelSizes.Of(model).Visual };
        report.Add("tiny vision pretrain step", pv, Environment.ProcessorCount, 320 / timer.Elapsed.TotalSeconds, "images/s");
    }

    static (QwenVlInputs, int[]) Pack(SyntheticExample[] chunk, QwenImageProcessor processor, Qwen2VlChatTemplate template)
    {
        var images = processor.Process(chunk.Select(e => e.Image.ToImage()).ToList());
        var ids = new List<int>(); var labels = new List<int>(); var cu = new List<int> { 0 }; var grids = new List<GridThw>();
        for (int i = 0; i < chunk.Length; i++)
        {
            var g = images.GridThw[i];
            grids.Add(new GridThw(g[0], g[1], g[2]));
            string question = chunk[i].Row.Question.Replace("<image>\n", "");
            var enc = template.Encode([
                ChatMessage.User(new ImageContent(g[0], g[1], g[2]), new TextContent(question)),
                ChatMessage.Assistant(chunk[i].Row.Traces!.Cot!)]);
            ids.AddRange(enc.Ids);
            labels.AddRange(enc.Ids.Select((id, k) => enc.AssistantMask[k] ? id : -100));
            cu.Add(ids.Count);
        }
        var pixels = Tensor.FromArray(images.PixelValues, images.PixelValues.Length / images.PatchDim, images.PatchDim);
        return (new QwenVlInputs(ids.ToArray(), cu.ToArray(), pixels, grids), labels.ToArray());
    }
}
