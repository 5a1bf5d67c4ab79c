// `rethinker tokenize`: JSONL rows {"id","text"} → {"id","ids"} with a Hugging Face tokenizer.json, or back
// with --decode. Rows are processed in parallel chunks and written in input order; a bad row is skipped,
// counted and reported with its line number, and never stops the run.
using System.CommandLine;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rethinker.Models.Tokenization;

namespace Rethinker.Cli.Commands;

public sealed class TokenizeCommand : ICliCommand
{
    public string? Parent => null;

    public Command Build()
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "A tokenizer.json (or .json.gz), or a directory holding one (and tokenizer_config.json).", Required = true };
        var input = new Option<string>("--in") { Description = "Input JSONL: rows {\"id\", \"text\"} (with --decode: {\"id\", \"ids\"}).", Required = true };
        var output = new Option<string>("--out") { Description = "Output JSONL: rows {\"id\", \"ids\"} (with --decode: {\"id\", \"text\"}).", Required = true };
        var decode = new Option<bool>("--decode") { Description = "Turn ids back into text instead." };
        var skipSpecial = new Option<bool>("--skip-special-tokens") { Description = "With --decode: leave special tokens out of the text." };
        var cmd = new Command("tokenize", "Tokenize (or detokenize) a JSONL file with a Hugging Face byte-level BPE tokenizer.\n\n" +
            "Examples:\n  rethinker tokenize --tokenizer models/qwen2-vl --in prompts.jsonl --out ids.jsonl\n" +
            "  rethinker tokenize --tokenizer models/qwen2-vl/tokenizer.json --in ids.jsonl --out text.jsonl --decode");
        foreach (var o in new Option[] { tokenizer, input, output, decode, skipSpecial }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string tokPath = parse.GetValue(tokenizer)!, inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            if (!File.Exists(inPath)) return Fail($"input file {inPath} does not exist");
            if (!File.Exists(tokPath) && !Directory.Exists(tokPath)) return Fail($"tokenizer {tokPath} does not exist (give a tokenizer.json or its directory)");
            BpeTokenizer tok;
            try { tok = BpeTokenizer.Load(tokPath); }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException or FileNotFoundException or KeyNotFoundException)
            { return Fail($"cannot load tokenizer: {e.Message}"); }
            var stats = Run(tok, inPath, outPath, parse.GetValue(decode), parse.GetValue(skipSpecial));
            Console.Error.WriteLine($"{(parse.GetValue(decode) ? "decoded" : "tokenized")} {stats.Rows} rows ({stats.Tokens} tokens) in {stats.Seconds:F2} s; {stats.BadRows} bad rows skipped");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.BadInput;
    }

    public sealed record Stats(long Rows, long Tokens, long BadRows, double Seconds);

    public static Stats Run(BpeTokenizer tok, string inPath, string outPath, bool decode, bool skipSpecial)
    {
        var sw = Stopwatch.StartNew();
        long rows = 0, tokens = 0, bad = 0, lineNo = 0;
        var writerOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var reader = new StreamReader(inPath);
        using var outStream = File.Create(outPath);
        var chunk = new List<(long Line, string Text)>(4096);
        var results = new byte[]?[4096];
        var errors = new string?[4096];
        while (true)
        {
            chunk.Clear();
            string? line;
            while (chunk.Count < 4096 && (line = reader.ReadLine()) is not null)
            {
                lineNo++;
                if (!string.IsNullOrWhiteSpace(line)) chunk.Add((lineNo, line));
            }
            if (chunk.Count == 0) break;
            var tokenCounts = new int[chunk.Count];
            Parallel.For(0, chunk.Count, i =>
            {
                try { (results[i], tokenCounts[i]) = ProcessRow(tok, chunk[i].Text, decode, skipSpecial, writerOptions); errors[i] = null; }
                catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or RowException)
                { results[i] = null; errors[i] = e.Message; }
            });
            for (int i = 0; i < chunk.Count; i++)
            {
                if (results[i] is byte[] bytes) { outStream.Write(bytes); outStream.WriteByte((byte)'\n'); rows++; tokens += tokenCounts[i]; }
                else { bad++; Console.Error.WriteLine($"warning: {inPath} line {chunk[i].Line}: {errors[i]}; row skipped"); }
            }
        }
        return new Stats(rows, tokens, bad, sw.Elapsed.TotalSeconds);
    }

    sealed class RowException(string message) : Exception(message);

    static (byte[], int) ProcessRow(BpeTokenizer tok, string line, bool decode, bool skipSpecial, JsonWriterOptions writerOptions)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new RowException("expected a JSON object");
        if (!root.TryGetProperty("id", out var id)) throw new RowException("missing \"id\"");
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, writerOptions))
        {
            w.WriteStartObject();
            w.WritePropertyName("id");
            id.WriteTo(w);
            int count;
            if (decode)
            {
                if (!root.TryGetProperty("ids", out var idsEl) || idsEl.ValueKind != JsonValueKind.Array) throw new RowException("\"ids\" should be an array of token ids");
                var ids = new int[idsEl.GetArrayLength()];
                int k = 0;
                foreach (var x in idsEl.EnumerateArray())
                {
                    if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt32(out int v) || v < 0 || v >= tok.VocabSize)
                        throw new RowException($"\"ids\"[{k}] = {x.GetRawText()} is not a token id in [0, {tok.VocabSize})");
                    ids[k++] = v;
                }
                w.WriteString("text", tok.Decode(ids, skipSpecial));
                count = ids.Length;
            }
            else
            {
                if (!root.TryGetProperty("text", out var textEl) || textEl.ValueKind != JsonValueKind.String) throw new RowException("\"text\" should be a string");
                int[] ids = tok.Encode(textEl.GetString()!);
                w.WriteStartArray("ids");
                foreach (int v in ids) w.WriteNumberValue(v);
                w.WriteEndArray();
                count = ids.Length;
            }
            w.WriteEndObject();
            w.Flush();
            return (buffer.ToArray(), count);
        }
    }
}
