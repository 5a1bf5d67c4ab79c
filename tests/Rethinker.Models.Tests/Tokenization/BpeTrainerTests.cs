// The BPE trainer against HF tokenizers' BpeTrainer (same corpus, same options: TestData/tokenizer/trainer_hf.json
// from tools/tokenizer-reference/gen_trainer_reference.js), and the tokenizer it writes.
using System.Text.Json;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public class BpeTrainerTests
{
    static string CorpusPath => Path.Combine(TokenizerTestData.Dir, "trainer_corpus.txt");

    [Fact]
    public void Trainer_ReproducesHuggingFaceVocabAndMergeOrder()
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions(30000, [], IncludeAllBytes: false));
        trainer.FeedFile(CorpusPath);
        var tok = trainer.Train();

        var hf = JsonDocument.Parse(File.ReadAllText(Path.Combine(TokenizerTestData.Dir, "trainer_hf.json"))).RootElement;
        var hfMerges = hf.GetProperty("merges").EnumerateArray().Select(m => (m[0].GetString()!, m[1].GetString()!)).ToList();
        Assert.Equal(hfMerges.Count, tok.Model.Merges.Count);
        for (int i = 0; i < hfMerges.Count; i++)
            Assert.True(hfMerges[i] == tok.Model.Merges[i], $"merge {i}: HF {hfMerges[i]}, ours {tok.Model.Merges[i]}");
        foreach (var p in hf.GetProperty("vocab").EnumerateObject())
            Assert.Equal(p.Value.GetInt32(), tok.Model.Vocab[p.Name]);
        Assert.Equal(hf.GetProperty("vocab_size").GetInt32(), tok.Model.Vocab.Count);
    }

    [Fact]
    public void TrainedTokenizer_HasSpecialsFirst_AllBytes_ExactVocabSize_AndRoundTrips()
    {
        string[] specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>"];
        var trainer = new BpeTrainer(new BpeTrainerOptions(1000, specials));
        trainer.FeedFile(CorpusPath);
        var tok = trainer.Train();

        Assert.Equal(1000, tok.VocabSize);
        for (int i = 0; i < specials.Length; i++) Assert.Equal(i, tok.TokenToId(specials[i]));
        foreach (char c in ByteLevel.ByteToChar) Assert.NotNull(tok.TokenToId(c.ToString()));

        string dir = Path.Combine(Path.GetTempPath(), "rethinker-trainer-" + Guid.NewGuid().ToString("N"));
        try
        {
            tok.Save(dir);
            var loaded = BpeTokenizer.Load(dir);
            foreach (var line in File.ReadLines(CorpusPath).Take(300).Append("<|im_start|>user\n你好 𝟏𝟐 never-seen ✓<|im_end|>"))
            {
                var ids = tok.Encode(line);
                Assert.Equal(ids, loaded.Encode(line));
                Assert.Equal(NfcNormalizer.Normalize(line), loaded.Decode(ids));
                Assert.All(ids, id => Assert.InRange(id, 0, 999));
            }
            Assert.Equal(new[] { 2 }, tok.Encode("<|im_end|>"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Trainer_RejectsVocabSmallerThanBytesPlusSpecials()
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions(257, ["<a>", "<b>"]));
        trainer.Feed("hello");
        var e = Assert.Throws<ArgumentException>(() => trainer.Train());
        Assert.Contains("258", e.Message);
    }
}
