// Byte-level BPE model (HF `"model": {"type": "BPE"}`): vocabulary, merges by rank, and the merge loop
// over one pre-token's UTF-8 bytes. Like HF's Word::merge_all: always apply the lowest-rank pair, the
// leftmost first on ties (a heap for long pieces, a scan for short ones; both give the same result).
// Pieces are cached by their text. Leaves out dropout, byte_fallback, unk fusing and subword prefixes.
using System.Collections.Concurrent;
using System.Text;

namespace Rethinker.Models.Tokenization;

public sealed class BpeModel
{
    const int CacheCapacity = 200_000, MaxCachedChars = 256, ScanLimit = 48;

    readonly Dictionary<string, int> vocab;
    readonly string[] idToToken;
    readonly Dictionary<long, (int Rank, int Id)> merges;
    readonly int[] byteToId = new int[256];
    readonly ConcurrentDictionary<string, int[]> cache = new();
    readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> cacheLookup;

    /// <summary>Merges in rank order, as (left, right) token strings.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }
    public IReadOnlyDictionary<string, int> Vocab => vocab;
    /// <summary>When true (Llama 3), a piece that is itself a vocabulary entry is emitted whole.</summary>
    public bool IgnoreMerges { get; }
    public int? UnkId { get; }

    public BpeModel(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, bool ignoreMerges = false, string? unkToken = null)
    {
        this.vocab = vocab;
        int maxId = vocab.Count == 0 ? -1 : vocab.Values.Max();
        idToToken = new string[maxId + 1];
        foreach (var (tok, id) in vocab)
        {
            if (id < 0) throw new InvalidDataException($"tokenizer.json: vocab entry '{tok}' has negative id {id}");
            idToToken[id] = tok;
        }
        this.merges = new Dictionary<long, (int, int)>(merges.Count, MixedLongComparer.Instance);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (l, r) = merges[rank];
            if (!vocab.TryGetValue(l, out int a) || !vocab.TryGetValue(r, out int b))
                throw new InvalidDataException($"tokenizer.json: merge {rank} \"{l} {r}\" uses a token missing from the vocab");
            if (!vocab.TryGetValue(l + r, out int m))
                throw new InvalidDataException($"tokenizer.json: merge {rank} \"{l} {r}\" produces '{l + r}', missing from the vocab");
            this.merges[Key(a, b)] = (rank, m); // as HF's map: a duplicated merge keeps its last rank
        }
        Merges = merges;
        IgnoreMerges = ignoreMerges;
        if (unkToken is not null && vocab.TryGetValue(unkToken, out int unk)) UnkId = unk;
        for (int b = 0; b < 256; b++) byteToId[b] = vocab.TryGetValue(ByteLevel.ByteToChar[b].ToString(), out int id) ? id : -1;
        cacheLookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    public int VocabSize => idToToken.Length;

    public string? IdToToken(int id) => (uint)id < (uint)idToToken.Length ? idToToken[id] : null;

    /// <summary>Appends the ids of one pre-token (its text before the byte-level mapping).</summary>
    public void EncodePiece(ReadOnlySpan<char> piece, List<int> ids)
    {
        if (piece.Length <= MaxCachedChars && cacheLookup.TryGetValue(piece, out var cached)) { ids.AddRange(cached); return; }
        int start = ids.Count;
        EncodeUncached(piece, ids);
        if (piece.Length <= MaxCachedChars && cache.Count < CacheCapacity)
            cache.TryAdd(piece.ToString(), ids.GetRange(start, ids.Count - start).ToArray());
    }

    void EncodeUncached(ReadOnlySpan<char> piece, List<int> ids)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
        byte[]? rented = null;
        Span<byte> bytes = maxBytes <= 1024 ? stackalloc byte[maxBytes] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(maxBytes));
        int n = Encoding.UTF8.GetBytes(piece, bytes);
        try
        {
            if (IgnoreMerges && TryWholePiece(bytes[..n], ids)) return;
            var symbols = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                int id = byteToId[bytes[i]];
                if (id >= 0) symbols[count++] = id;
                else if (UnkId is int unk) symbols[count++] = unk;
                // else: HF drops a byte that has no vocabulary entry and no unk token
            }
            int m = count <= ScanLimit ? MergeByScan(symbols.AsSpan(0, count)) : MergeByHeap(symbols.AsSpan(0, count));
            for (int i = 0; i < m; i++) ids.Add(symbols[i]);
        }
        finally { if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented); }
    }

    bool TryWholePiece(ReadOnlySpan<byte> bytes, List<int> ids)
    {
        if (!vocab.TryGetValue(ByteLevel.Encode(bytes), out int id)) return false;
        ids.Add(id);
        return true;
    }

    /// <summary>Merges in place by repeated scans for the lowest-rank pair; returns the symbol count. O(n²), for short pieces.</summary>
    internal int MergeByScan(Span<int> s)
    {
        int n = s.Length;
        while (n > 1)
        {
            int bestRank = int.MaxValue, bestPos = -1, bestId = 0;
            for (int i = 0; i + 1 < n; i++)
            {
                if (merges.TryGetValue(Key(s[i], s[i + 1]), out var m) && m.Rank < bestRank) { bestRank = m.Rank; bestPos = i; bestId = m.Id; }
            }
            if (bestPos < 0) break;
            s[bestPos] = bestId;
            s.Slice(bestPos + 2, n - bestPos - 2).CopyTo(s[(bestPos + 1)..]);
            n--;
        }
        return n;
    }

    /// <summary>Same result as <see cref="MergeByScan"/> in O(n log n): symbols in a linked list, candidate pairs in a min-heap
    /// of (rank, position) keys; an entry is stale, and skipped, when its pair no longer has that rank.</summary>
    internal int MergeByHeap(Span<int> s)
    {
        int n = s.Length;
        var next = new int[n];
        var prev = new int[n];
        for (int i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; }
        var heap = new LongMinHeap(2 * n);
        for (int i = 0; i + 1 < n; i++) Push(s, next, ref heap, i);
        while (heap.Count > 0)
        {
            long top = heap.Pop();
            int rank = (int)(top >> 32), pos = (int)top, right = next[pos];
            if (right < 0 || prev[pos] == int.MinValue) continue;
            if (!merges.TryGetValue(Key(s[pos], s[right]), out var m) || m.Rank != rank) continue;
            s[pos] = m.Id;
            prev[right] = int.MinValue; // dead
            next[pos] = next[right];
            if (next[pos] >= 0) prev[next[pos]] = pos;
            if (prev[pos] >= 0) Push(s, next, ref heap, prev[pos]);
            Push(s, next, ref heap, pos);
        }
        int w = 0;
        for (int i = 0; i >= 0 && i < n; i = next[i]) s[w++] = s[i];
        return w;
    }

    void Push(Span<int> s, int[] next, ref LongMinHeap heap, int pos)
    {
        int r = next[pos];
        if (r >= 0 && merges.TryGetValue(Key(s[pos], s[r]), out var m)) heap.Push(((long)m.Rank << 32) | (uint)pos);
    }
}

/// <summary>Binary min-heap of longs (the merge loop's (rank, position) keys).</summary>
struct LongMinHeap(int capacity)
{
    long[] items = new long[Math.Max(4, capacity)];
    public int Count { get; private set; }

    public void Push(long v)
    {
        if (Count == items.Length) Array.Resize(ref items, Count * 2);
        int i = Count++;
        while (i > 0)
        {
            int p = (i - 1) >> 1;
            if (items[p] <= v) break;
            items[i] = items[p];
            i = p;
        }
        items[i] = v;
    }

    public long Pop()
    {
        long top = items[0], last = items[--Count];
        int i = 0;
        while (true)
        {
            int c = 2 * i + 1;
            if (c >= Count) break;
            if (c + 1 < Count && items[c + 1] < items[c]) c++;
            if (items[c] >= last) break;
            items[i] = items[c];
            i = c;
        }
        items[i] = last;
        return top;
    }
}

/// <summary>long keys hashed by Fibonacci mixing: long.GetHashCode is hi ^ lo, which for (left id, right id) pairs of
/// nearby ids puts many merges in few buckets.</summary>
sealed class MixedLongComparer : IEqualityComparer<long>
{
    public static readonly MixedLongComparer Instance = new();
    public bool Equals(long a, long b) => a == b;
    public int GetHashCode(long k) => (int)(((ulong)k * 0x9E3779B97F4A7C15UL) >> 32);
}
