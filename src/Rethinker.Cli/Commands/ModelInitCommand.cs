// `rethinker model init`: a randomly initialised Qwen2-VL / Qwen2.5-VL checkpoint in Hugging Face layout
// (config.json, model.safetensors, generation_config.json, preprocessor_config.json, tokenizer files).
// Presets (Rethinker.Data.Presets): "tiny" for the synthetic tasks on a CPU, and the real 2B / 3B / 7B shapes.
// The tiny model is trained from scratch, so it normalises images with its data's own channel statistics (a
// `data synth` folder's manifest); the real presets keep CLIP's, which their pretrained towers expect.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Rethinker.Data.Presets;
using Rethinker.Data.Synthetic;
using Rethinker.Models.Config;
using Rethinker.Models.Imaging;
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;
using Rethinker.Models.Tokenization;

namespace Rethinker.Cli.Commands;

public sealed class ModelInitCommand : ICliCommand
{
    public string? Parent => "model";

    internal static readonly string[] QwenSpecials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"];

    public Command Build()
    {
        var preset = new Option<string>("--preset") { Description = $"Model shape: {string.Join(", ", ModelPresets.Names)}.", DefaultValueFactory = _ => "tiny" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "A tokenizer folder (tokenizer.json, from `rethinker tokenizer train`), or a `data synth` folder: its corpus.jsonl is used to train one. Required for tiny." };
        var vocab = new Option<int>("--vocab-size") { Description = "Vocabulary size when training the tokenizer from corpus.jsonl.", DefaultValueFactory = _ => 1024 };
        var outDir = new Option<string>("--out") { Description = "Output checkpoint folder.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random initialisation.", DefaultValueFactory = _ => 0 };
        var dtype = new Option<string>("--dtype") { Description = "Weight dtype in model.safetensors: f32, bf16 or f16.", DefaultValueFactory = _ => "f32" };
        var imageStats = new Option<string?>("--image-stats")
        {
            Description = "Tiny only: a `data synth` folder whose training images' channel mean/std (manifest.json image_mean / image_std) become "
                + "preprocessor_config.json's. Default: the --tokenizer folder when it is a `data synth` folder; otherwise CLIP's, with a warning.",
        };
        var cmd = new Command("init",
            "Create a randomly initialised Qwen2-VL / Qwen2.5-VL checkpoint (Hugging Face layout).\n\n"
            + "Examples:\n  rethinker data synth --out data --n 2000\n  rethinker model init --preset tiny --tokenizer data --out models/tiny\n"
            + "  rethinker tokenizer train --in data/corpus.jsonl --vocab-size 1024 --out tok && rethinker model init --preset tiny --tokenizer tok --image-stats data --out models/tiny");
        foreach (var o in new Option[] { preset, tokenizer, vocab, outDir, seed, dtype, imageStats }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            string name = p.GetValue(preset)!, dir = p.GetValue(outDir)!;
            string? tokDir = p.GetValue(tokenizer);
            SafeTensorDType type;
            SourcedStatistics? stats;
            try
            {
                ModelPresets.Of(name);
                type = p.GetValue(dtype) switch
                {
                    "f32" => SafeTensorDType.F32, "bf16" => SafeTensorDType.BF16, "f16" => SafeTensorDType.F16,
                    var d => throw new ArgumentException($"--dtype: '{d}' is not one of f32, bf16, f16"),
                };
                if (name == "tiny" && tokDir is null) throw new ArgumentException("--tokenizer is required for the tiny preset (a tokenizer folder or a `data synth` folder)");
                if (tokDir is not null && !File.Exists(Path.Combine(tokDir, "tokenizer.json")) && !File.Exists(Path.Combine(tokDir, "corpus.jsonl")))
                    throw new ArgumentException($"--tokenizer {tokDir}: expected tokenizer.json (from `rethinker tokenizer train`) or corpus.jsonl (from `rethinker data synth`)");
                stats = ImageStatistics(name, tokDir, p.GetValue(imageStats));
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException) { Console.Error.WriteLine($"error: {e.Message}"); return ExitCodes.BadInput; }

            var sw = Stopwatch.StartNew();
            Directory.CreateDirectory(dir);
            SpecialTokenIds? ids = null;
            if (tokDir is not null) ids = PrepareTokenizer(tokDir, dir, p.GetValue(vocab));
            var config = QwenVlConfig.FromJson(ModelPresets.Config(name, ids));
            var sizes = ModelSizes.Of(QwenVlModel.CreateMeta(config));
            Console.WriteLine($"{name}: {sizes.Total:N0} parameters (vision {sizes.Visual:N0}, text {sizes.Text:N0}, lm_head {sizes.LmHead:N0}); "
                + $"{sizes.Total * 4 / 1e9:0.###} GB in f32 while initialising");
            var model = QwenVlModel.CreateRandom(config, p.GetValue(seed));
            model.Save(dir, type);
            ModelPresets.WritePreprocessor(dir, name, stats?.Statistics);
            if (stats is not null) Console.WriteLine($"image_mean {Format(stats.Statistics.Mean)}, image_std {Format(stats.Statistics.Std)} from {stats.Source}");
            Console.WriteLine($"wrote {Path.GetFullPath(dir)} in {sw.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// The tiny model's image_mean / image_std: from --image-stats, else from --tokenizer when it is a `data synth` folder;
    /// null (CLIP's) for the real presets, whose pretrained towers expect CLIP's, and for a tiny model with no dataset named.
    /// </summary>
    static SourcedStatistics? ImageStatistics(string preset, string? tokDir, string? statsDir)
    {
        if (preset != "tiny")
        {
            if (statsDir is not null) throw new ArgumentException($"--image-stats is for the tiny preset only: {preset} keeps CLIP's statistics, which its pretrained vision tower expects");
            return null;
        }
        if (statsDir is not null) return SynthImageStatistics.Read(statsDir);
        if (tokDir is not null && File.Exists(Path.Combine(tokDir, "corpus.jsonl")) && SynthImageStatistics.CanRead(tokDir)) return SynthImageStatistics.Read(tokDir);
        Console.Error.WriteLine("warning: no --image-stats, so the tiny model normalises images with CLIP's mean/std; a vision tower trained from scratch "
            + "learns to ignore mostly white synthetic images normalised that way (a large constant input), so pass --image-stats <data synth folder>");
        return null;
    }

    static string Format(float[] v) => "[" + string.Join(", ", v.Select(x => x.ToString("0.0000", CultureInfo.InvariantCulture))) + "]";

    /// <summary>Copies a trained tokenizer into the checkpoint, or trains one on a synthetic dataset's corpus.jsonl.</summary>
    static SpecialTokenIds PrepareTokenizer(string tokDir, string outDir, int vocabSize)
    {
        string json = Path.Combine(tokDir, "tokenizer.json");
        if (File.Exists(json))
        {
            foreach (var f in new[] { "tokenizer.json", "tokenizer_config.json", "chat_template.json", "special_tokens_map.json" })
                if (File.Exists(Path.Combine(tokDir, f)) && Path.GetFullPath(tokDir) != Path.GetFullPath(outDir))
                    File.Copy(Path.Combine(tokDir, f), Path.Combine(outDir, f), overwrite: true);
            return ModelPresets.FromTokenizerJson(Path.Combine(outDir, "tokenizer.json"));
        }
        var options = new BpeTrainerOptions(vocabSize, QwenSpecials);
        options.Validate();
        var trainer = new BpeTrainer(options);
        int lineNo = 0;
        foreach (var line in File.ReadLines(Path.Combine(tokDir, "corpus.jsonl")))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var text = (JsonNode.Parse(line) as JsonObject)?["text"]?.GetValue<string>()
                ?? throw new InvalidDataException($"{Path.Combine(tokDir, "corpus.jsonl")} line {lineNo}: expected an object with a string \"text\"");
            trainer.Feed(text);
        }
        var tok = trainer.Train();
        var extra = new JsonObject { ["tokenizer_class"] = "Qwen2Tokenizer", ["model_max_length"] = 4096, ["clean_up_tokenization_spaces"] = false, ["split_special_tokens"] = false };
        tok = new BpeTokenizer(tok.Model, tok.AddedTokens, tok.Pipeline)
        {
            Config = new TokenizerConfig(null, "<|im_end|>", "<|endoftext|>", null, QwenSpecials.Where(t => t is not ("<|im_end|>" or "<|endoftext|>")).ToList(), null, extra),
        };
        tok.Save(outDir);
        Console.WriteLine($"trained a {tok.VocabSize}-token BPE tokenizer on {Path.Combine(tokDir, "corpus.jsonl")}");
        return ModelPresets.FromTokenizerJson(Path.Combine(outDir, "tokenizer.json"));
    }
}
