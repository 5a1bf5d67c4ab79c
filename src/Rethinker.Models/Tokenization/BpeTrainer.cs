// Byte-level BPE training as HF tokenizers' BpeTrainer does it (models/bpe/trainer.rs): words counted after
// NFC + the Qwen2 split + ByteLevel; ids = special tokens, then the alphabet sorted by code point, then one per
// merge; repeatedly merge the most frequent pair (ties: the smallest (left id, right id)), with lazily
// refreshed counts in a max-heap. Leaves out limit_alphabet, min_frequency > 0 ties, subword prefixes.
namespace Rethinker.Models.Tokenization;

public sealed record BpeTrainerOptions(int VocabSize, IReadOnlyList<string> SpecialTokens, bool IncludeAllBytes = true, long MinFrequency = 0,
    SplitPatternKind Pattern = SplitPatternKind.Qwen2)
{
    public void Validate()
    {
        if (SpecialTokens.Any(string.IsNullOrEmpty)) throw new ArgumentException("special tokens must be non-empty strings");
        if (SpecialTokens.Distinct().Count() != SpecialTokens.Count) throw new ArgumentException("special tokens must be distinct");
        int min = SpecialTokens.Count + (IncludeAllBytes ? 256 : 0);
        if (VocabSize < min) throw new ArgumentException($"vocab size {VocabSize} is below the {min} ids taken by the special tokens{(IncludeAllBytes ? " and the 256 bytes" : "")}");
    }
}

public sealed class BpeTrainer(BpeTrainerOptions options)
{
    readonly Dictionary<string, long> wordCounts = new();
    readonly List<(int, int)> pieces = new();

    /// <summary>Counts the pre-tokens of one training sequence (HF feeds each line of a file, its line ending included).</summary>
    public void Feed(string text)
    {
        string normalized = NfcNormalizer.Normalize(text);
        pieces.Clear();
        SplitPattern.Split(options.Pattern, normalized, pieces);
        foreach (var (start, length) in pieces)
        {
            string word = ByteLevel.Encode(System.Text.Encoding.UTF8.GetBytes(normalized.Substring(start, length)));
            wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
        }
    }

    /// <summary>Feeds every line of a file, keeping line endings, as HF's train_from_files.</summary>
    public void FeedFile(string path)
    {
        string all = File.ReadAllText(path);
        int start = 0;
        while (start < all.Length)
        {
            int nl = all.IndexOf('\n', start);
            int end = nl < 0 ? all.Length : nl + 1;
            Feed(all[start..end]);
            start = end;
        }
    }

    public BpeTokenizer Train()
    {
        options.Validate();
        var idToWord = new List<string>();
        var wordToId = new Dictionary<string, int>();
        void Add(string s) { if (wordToId.TryAdd(s, idToWord.Count)) idToWord.Add(s); }
        foreach (var s in options.SpecialTokens) Add(s);
        foreach (var c in Alphabet()) Add(c);

        var words = new List<List<int>>(wordCounts.Count);
        var counts = new List<long>(wordCounts.Count);
        foreach (var (w, n) in wordCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var symbols = new List<int>(w.Length);
            foreach (var r in w.EnumerateRunes()) if (wordToId.TryGetValue(r.ToString(), out int id)) symbols.Add(id);
            words.Add(symbols);
            counts.Add(n);
        }
        var merges = new BpeMergeLoop(words, counts, idToWord, wordToId, options).Run();
        var vocab = new Dictionary<string, int>(wordToId);
        var added = options.SpecialTokens.Select(s => new AddedToken(wordToId[s], s, Special: true, Normalized: false)).ToList();
        return new BpeTokenizer(new BpeModel(vocab, merges), added, new TokenizerPipeline(true, options.Pattern, false, [], []));
    }

    // The chars of all words (each appearing once), plus all 256 byte chars when asked, sorted by code point.
    IEnumerable<string> Alphabet()
    {
        var set = new SortedSet<int>();
        foreach (var w in wordCounts.Keys) foreach (var r in w.EnumerateRunes()) set.Add(r.Value);
        if (options.IncludeAllBytes) foreach (char c in ByteLevel.ByteToChar) set.Add(c);
        return set.Select(char.ConvertFromUtf32);
    }
}
