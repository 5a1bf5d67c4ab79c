// `rethinker tokenizer train`: trains a byte-level BPE tokenizer (NFC + Qwen2 split, HF BpeTrainer's merge
// order) on text files and writes tokenizer.json + tokenizer_config.json; used for the tiny models trained here.
// Text files are fed line by line; .jsonl files contribute their rows' "text" fields.
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rethinker.Models.Tokenization;

namespace Rethinker.Cli.Commands;

public sealed class TokenizerTrainCommand : ICliCommand
{
    public string? Parent => "tokenizer";

    static readonly string[] QwenSpecials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"];

    public Command Build()
    {
        var input = new Option<string[]>("--in") { Description = "Training text files (.txt: one sequence per line; .jsonl: the \"text\" field of each row).", Required = true, AllowMultipleArgumentsPerToken = true };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Total vocabulary size: special tokens + 256 bytes + merges.", Required = true };
        var specials = new Option<string[]>("--special-tokens") { Description = $"Special tokens, given ids 0.. in order (default: {string.Join(" ", QwenSpecials)}).", AllowMultipleArgumentsPerToken = true };
        var eos = new Option<string?>("--eos-token") { Description = "eos_token for tokenizer_config.json (default <|im_end|> when it is a special token)." };
        var pad = new Option<string?>("--pad-token") { Description = "pad_token for tokenizer_config.json (default <|endoftext|> when it is a special token)." };
        var output = new Option<string>("--out") { Description = "Output directory for tokenizer.json and tokenizer_config.json.", Required = true };
        var cmd = new Command("train", "Train a byte-level BPE tokenizer (Hugging Face tokenizer.json format).\n\nExample:\n" +
            "  rethinker tokenizer train --in corpus.txt more.jsonl --vocab-size 4096 --special-tokens \"<|endoftext|>\" \"<|im_start|>\" \"<|im_end|>\" --out tiny-tokenizer");
        foreach (var o in new Option[] { input, vocabSize, specials, eos, pad, output }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string[] files = parse.GetValue(input) ?? [];
            string[] special = parse.GetValue(specials) is { Length: > 0 } s ? s : QwenSpecials;
            var missing = files.FirstOrDefault(f => !File.Exists(f));
            if (files.Length == 0) return Fail("--in needs at least one file");
            if (missing is not null) return Fail($"input file {missing} does not exist");
            var options = new BpeTrainerOptions(parse.GetValue(vocabSize), special);
            try { options.Validate(); }
            catch (ArgumentException e) { return Fail(e.Message); }
            string? eosToken = parse.GetValue(eos) ?? (special.Contains("<|im_end|>") ? "<|im_end|>" : null);
            string? padToken = parse.GetValue(pad) ?? (special.Contains("<|endoftext|>") ? "<|endoftext|>" : null);
            foreach (var t in new[] { eosToken, padToken })
                if (t is not null && !special.Contains(t)) return Fail($"'{t}' is not among the special tokens");

            var sw = Stopwatch.StartNew();
            var trainer = new BpeTrainer(options);
            try { foreach (var f in files) Feed(trainer, f); }
            catch (InvalidDataException e) { return Fail(e.Message); }
            var tok = trainer.Train();
            var config = new JsonObject { ["tokenizer_class"] = "Qwen2Tokenizer", ["model_max_length"] = 32768, ["clean_up_tokenization_spaces"] = false, ["split_special_tokens"] = false };
            tok = new BpeTokenizer(tok.Model, tok.AddedTokens, tok.Pipeline)
            {
                Config = new TokenizerConfig(null, eosToken, padToken, null, special.Where(t => t != eosToken && t != padToken).ToList(), null, config),
            };
            string dir = parse.GetValue(output)!;
            tok.Save(dir);
            Console.WriteLine($"trained {tok.VocabSize} tokens ({tok.Model.Merges.Count} merges) in {sw.Elapsed.TotalSeconds:F1} s → {Path.Combine(dir, "tokenizer.json")}");
            if (tok.VocabSize < options.VocabSize)
                Console.Error.WriteLine($"warning: the corpus ran out of pairs to merge at {tok.VocabSize} < {options.VocabSize} tokens");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static void Feed(BpeTrainer trainer, string path)
    {
        if (!path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)) { trainer.FeedFile(path); return; }
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    trainer.Feed(t.GetString()!);
                else throw new InvalidDataException($"{path} line {lineNo}: expected an object with a string \"text\"");
            }
            catch (JsonException e) { throw new InvalidDataException($"{path} line {lineNo}: not valid JSON ({e.Message})"); }
        }
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.BadInput;
    }
}
