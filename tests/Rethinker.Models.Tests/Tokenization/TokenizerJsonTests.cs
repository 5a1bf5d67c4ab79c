// tokenizer.json reading: both merge forms, gzip or plain, and refusal (naming the JSON path) of pipelines
// we do not implement, rather than silently tokenising differently.
using System.Text.Json;
using System.Text.Json.Nodes;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public sealed class TokenizerJsonTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "rethinker-tokjson-" + Guid.NewGuid().ToString("N"));
    public TokenizerJsonTests() => Directory.CreateDirectory(dir);
    public void Dispose() => Directory.Delete(dir, recursive: true);

    JsonObject TrainedJson()
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions(400, ["<|endoftext|>"]));
        trainer.FeedFile(Path.Combine(TokenizerTestData.Dir, "trainer_corpus.txt"));
        var ms = new MemoryStream();
        trainer.Train().WriteJson(ms);
        return JsonNode.Parse(ms.ToArray())!.AsObject();
    }

    BpeTokenizer LoadJson(JsonObject json)
    {
        string path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json.ToJsonString());
        return BpeTokenizer.Load(path);
    }

    [Fact]
    public void MergesAsSpaceSeparatedStrings_EncodeLikeMergesAsPairs()
    {
        var json = TrainedJson();
        var pairs = LoadJson(json);
        var merges = json["model"]!["merges"]!.AsArray();
        json["model"]!["merges"] = new JsonArray(merges.Select(m => (JsonNode)$"{m![0]} {m[1]}").ToArray());
        var strings = LoadJson(json);
        Assert.Equal(pairs.Model.Merges, strings.Model.Merges);
        foreach (var line in File.ReadLines(Path.Combine(TokenizerTestData.Dir, "trainer_corpus.txt")).Take(200))
            Assert.Equal(pairs.Encode(line), strings.Encode(line));
    }

    [Theory]
    [InlineData("normalizer", """{"type": "Lowercase"}""", "normalizer.type")]
    [InlineData("decoder", """{"type": "WordPiece"}""", "decoder.type")]
    [InlineData("pre_tokenizer", """{"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Isolated", "invert": false}""", "pre_tokenizer.pattern.Regex")]
    public void UnsupportedPipelineParts_AreRefusedWithTheirPath(string key, string value, string path)
    {
        var json = TrainedJson();
        json[key] = JsonNode.Parse(value);
        var e = Assert.Throws<NotSupportedException>(() => LoadJson(json));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TemplateProcessingPostProcessor_IsReadAsPrefixAndSuffixIds()
    {
        var json = TrainedJson();
        json["post_processor"] = JsonNode.Parse("""
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
             "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
             "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<|endoftext|>"]}, "</s>": {"id": "</s>", "ids": [0, 0], "tokens": ["a", "b"]}}}
            """);
        var tok = LoadJson(json);
        Assert.Equal([0], tok.Pipeline.PrefixIds);
        Assert.Equal([0, 0], tok.Pipeline.SuffixIds);
        var plain = tok.Encode("hello", addSpecialTokens: false);
        Assert.Equal([0, .. plain, 0, 0], tok.Encode("hello"));
    }

    [Fact]
    public void MergeOfTokensMissingFromVocab_IsAClearError()
    {
        var json = TrainedJson();
        json["model"]!["merges"]!.AsArray().Add(new JsonArray("zz_missing", "q"));
        var e = Assert.Throws<InvalidDataException>(() => LoadJson(json));
        Assert.Contains("zz_missing", e.Message);
    }

    [Fact]
    public void MissingTokenizerFile_NamesThePath()
    {
        var e = Assert.Throws<FileNotFoundException>(() => BpeTokenizer.Load(Path.Combine(dir, "nowhere")));
        Assert.Contains("nowhere", e.Message);
    }
}
