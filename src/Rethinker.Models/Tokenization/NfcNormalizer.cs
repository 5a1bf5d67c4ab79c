// Unicode NFC (canonical decomposition, canonical ordering, canonical composition; UAX #15), managed.
// Needed because the toolkit runs with InvariantGlobalization, where string.Normalize is a no-op, and
// HF's `"normalizer": {"type": "NFC"}` runs before pre-tokenisation. Tables: NfcTables.g.cs (Unicode 14).
// A quick check skips strings whose every code point is a stable starter (all ASCII and most CJK text).
using System.Text;

namespace Rethinker.Models.Tokenization;

public static class NfcNormalizer
{
    const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    static readonly Dictionary<int, byte> CombiningClass = new();
    static readonly Dictionary<int, int[]> Decomposition = new();
    static readonly Dictionary<long, int> Composition = new();
    // One bit per code point: set when the code point may change under NFC or affect its neighbour
    // (non-zero ccc, decomposable, or the second half of a composition pair, Hangul jamo V/T included).
    static readonly ulong[] Unstable = new ulong[0x110000 / 64];

    static NfcNormalizer()
    {
        var ccc = NfcTables.Ccc;
        for (int i = 0; i < ccc.Length; i += 2) { CombiningClass[ccc[i]] = (byte)ccc[i + 1]; Mark(ccc[i]); }
        var d = NfcTables.Decompositions;
        for (int i = 0; i < d.Length;)
        {
            int cp = d[i], n = d[i + 1];
            Decomposition[cp] = d.Slice(i + 2, n).ToArray();
            Mark(cp);
            i += 2 + n;
        }
        var c = NfcTables.Compositions;
        for (int i = 0; i < c.Length; i += 3) { Composition[Key(c[i], c[i + 1])] = c[i + 2]; Mark(c[i + 1]); }
        for (int v = VBase; v < VBase + VCount; v++) Mark(v);
        for (int t = TBase + 1; t < TBase + TCount; t++) Mark(t);
    }

    static void Mark(int cp) => Unstable[cp >> 6] |= 1UL << (cp & 63);
    static bool IsUnstable(int cp) => (Unstable[cp >> 6] & (1UL << (cp & 63))) != 0;
    static long Key(int a, int b) => ((long)a << 21) | (uint)b;
    static int Ccc(int cp) => cp < 0x300 ? 0 : CombiningClass.TryGetValue(cp, out var k) ? k : 0;

    /// <summary>True when NFC leaves <paramref name="s"/> unchanged for certain (quick check, no false positives).</summary>
    public static bool IsQuickNfc(ReadOnlySpan<char> s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char ch = s[i];
            if (ch < 0x300) continue;
            int cp = ch;
            if (char.IsHighSurrogate(ch) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) cp = char.ConvertToUtf32(ch, s[++i]);
            if (IsUnstable(cp)) return false;
        }
        return true;
    }

    public static string Normalize(string s) => IsQuickNfc(s) ? s : NormalizeSlow(s);

    static string NormalizeSlow(ReadOnlySpan<char> s)
    {
        var buf = new List<int>(s.Length + 8);
        foreach (var rune in EnumerateRunes(s)) Decompose(rune, buf);
        CanonicalOrder(buf);
        Compose(buf);
        var sb = new StringBuilder(buf.Count);
        foreach (int cp in buf)
        {
            if (cp < 0x10000) sb.Append((char)cp);
            else sb.Append(char.ConvertFromUtf32(cp));
        }
        return sb.ToString();
    }

    // Lone surrogates pass through unchanged (as code units), as they cannot be normalised.
    static IEnumerable<int> EnumerateRunes(ReadOnlySpan<char> s)
    {
        var list = new List<int>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char ch = s[i];
            if (char.IsHighSurrogate(ch) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) list.Add(char.ConvertToUtf32(ch, s[++i]));
            else list.Add(ch);
        }
        return list;
    }

    static void Decompose(int cp, List<int> output)
    {
        if (cp >= SBase && cp < SBase + SCount)
        {
            int sIndex = cp - SBase;
            output.Add(LBase + sIndex / NCount);
            output.Add(VBase + sIndex % NCount / TCount);
            if (sIndex % TCount != 0) output.Add(TBase + sIndex % TCount);
            return;
        }
        if (cp >= 0x300 && Decomposition.TryGetValue(cp, out var parts))
        {
            foreach (int p in parts) Decompose(p, output);
            return;
        }
        output.Add(cp);
    }

    // Stable insertion sort of each run of non-starters by combining class (runs are short).
    static void CanonicalOrder(List<int> b)
    {
        for (int i = 1; i < b.Count; i++)
        {
            int k = Ccc(b[i]);
            if (k == 0) continue;
            int j = i;
            while (j > 0 && Ccc(b[j - 1]) > k) { (b[j - 1], b[j]) = (b[j], b[j - 1]); j--; }
        }
    }

    static void Compose(List<int> b)
    {
        if (b.Count == 0) return;
        int starterPos = Ccc(b[0]) == 0 ? 0 : -1;
        int write = 1, lastCcc = starterPos == 0 ? 0 : 256;
        for (int read = 1; read < b.Count; read++)
        {
            int cp = b[read], k = Ccc(cp);
            if (starterPos >= 0 && (lastCcc < k || (lastCcc == 0 && write - 1 == starterPos)) && TryCompose(b[starterPos], cp, out int composite))
            {
                b[starterPos] = composite;
                continue;
            }
            if (k == 0) { starterPos = write; lastCcc = 0; }
            else lastCcc = k;
            b[write++] = cp;
        }
        b.RemoveRange(write, b.Count - write);
    }

    static bool TryCompose(int a, int b, out int composite)
    {
        if (a >= LBase && a < LBase + LCount && b >= VBase && b < VBase + VCount)
        {
            composite = SBase + ((a - LBase) * VCount + (b - VBase)) * TCount;
            return true;
        }
        if (a >= SBase && a < SBase + SCount && (a - SBase) % TCount == 0 && b > TBase && b < TBase + TCount)
        {
            composite = a + (b - TBase);
            return true;
        }
        return Composition.TryGetValue(Key(a, b), out composite);
    }
}
