// `rethinker generate`: chat with a Qwen2-VL / Qwen2.5-VL checkpoint directory on the embedded engine, streaming
// the tokens of the first sample to the console; with --n > 1 all samples are printed when done.
using System.CommandLine;
using Rethinker.Models.Generation;
using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;

namespace Rethinker.Cli.Commands;

public sealed class GenerateCommand : ICliCommand
{
    public string? Parent => null;

    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory (config.json, *.safetensors, tokenizer.json, preprocessor_config.json).", Required = true };
        var images = new Option<string[]>("--image") { Description = "Image file (PNG or JPEG); repeat for several. Placed where the prompt says <image>, else before the text.", AllowMultipleArgumentsPerToken = true };
        var prompt = new Option<string>("--prompt") { Description = "The user message.", Required = true };
        var system = new Option<string?>("--system") { Description = "System prompt (default: the chat template's)." };
        var temperature = new Option<float>("--temperature") { Description = "0 = greedy.", DefaultValueFactory = _ => 0f };
        var topP = new Option<float>("--top-p") { Description = "Nucleus sampling mass.", DefaultValueFactory = _ => 1f };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (0 = off).", DefaultValueFactory = _ => 0 };
        var minP = new Option<float>("--min-p") { Description = "Drop tokens below min-p × the top probability.", DefaultValueFactory = _ => 0f };
        var repetition = new Option<float>("--repetition-penalty") { Description = "HF repetition penalty (1 = off).", DefaultValueFactory = _ => 1f };
        var n = new Option<int>("--n") { Description = "Samples to draw (sharing one prefill).", DefaultValueFactory = _ => 1 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Generation budget per sample.", DefaultValueFactory = _ => 256 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 0UL };
        var stop = new Option<string[]>("--stop") { Description = "Stop string(s).", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("generate", "Generate a response from a Qwen2-VL / Qwen2.5-VL checkpoint, streaming tokens.\n\nExamples:\n" +
            "  rethinker generate --model runs/quickstart/model-rl --image chart.png --prompt \"Which bar is tallest?\"\n" +
            "  rethinker generate --model ~/models/Qwen2.5-VL-3B-Instruct --image a.jpg --prompt \"Describe <image>\" --temperature 0.9 --n 4");
        foreach (var o in new Option[] { model, images, prompt, system, temperature, topP, topK, minP, repetition, n, maxNew, seed, stop }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!;
            int samples = parse.GetValue(n);
            if (samples < 1) throw new ArgumentException($"--n must be at least 1, got {samples}");
            var loaded = (parse.GetValue(images) ?? []).Select(p => ImageLoader.Load(p)).ToList();
            var tokenizer = Rethinker.Models.Tokenization.BpeTokenizer.Load(dir);
            var processor = PolicyLoader.LoadImageProcessor(dir);
            var builder = new VisionPromptBuilder(tokenizer, processor, parse.GetValue(system));
            var promptIds = builder.Build(parse.GetValue(prompt)!, loaded).Ids;
            // Holds back bytes of a character split across tokens, so only whole characters reach the console.
            var streamer = new Rethinker.Models.Tokenization.StreamingDecoder(tokenizer, skipSpecialTokens: true);
            var options = new GeneratorOptions { OnToken = samples > 1 ? null : (_, _, id) => Console.Write(streamer.Push(id)) };
            var policy = PolicyLoader.Load(dir, options, tokenizer, processor);
            var eos = policy.Model.Config.EosTokenIds.Concat(OptionalId(tokenizer, "<|im_end|>")).Distinct().ToArray();
            var sampling = new SamplingOptions
            {
                Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), TopK = parse.GetValue(topK), MinP = parse.GetValue(minP),
                RepetitionPenalty = parse.GetValue(repetition), MaxNewTokens = parse.GetValue(maxNew), StopTokenIds = eos, StopStrings = parse.GetValue(stop) ?? [],
            };
            var results = policy.Generate([new GenerationRequest { Id = "cli", PromptTokenIds = promptIds, Images = loaded, N = samples, Seed = parse.GetValue(seed) }], sampling);
            if (samples == 1) Console.WriteLine(streamer.Flush());
            else
                foreach (var c in results) Console.WriteLine($"--- sample {c.SampleIndex} ({c.TokenIds.Length} tokens, {c.Finish})\n{c.Text}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static IEnumerable<int> OptionalId(Rethinker.Models.Tokenization.BpeTokenizer t, string token) => t.TokenToId(token) is { } id ? [id] : [];
}
