// The two merge loops (scan for short pieces, heap for long ones) must agree; long runs of one character
// must cost linear time (no regex or merge blow-up).
using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public class BpeMergeTests
{
    static readonly string Alphabet = "  aaabbeeinnorsttt111.\n\t你好😀é-=*";

    [Fact]
    public void HeapMerge_EqualsScanMerge_OnRandomPieces()
    {
        var model = TokenizerTestData.Qwen.Model;
        var gen = Gen.Choose(1, 120).SelectMany(n => Gen.ArrayOf(Gen.Elements(Alphabet.ToCharArray()), n)).Select(cs => new string(cs));
        Prop.ForAll(gen.ToArbitrary(), text =>
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            int[] a = bytes.Select(b => model.Vocab[ByteLevel.ByteToChar[b].ToString()]).ToArray();
            int[] b2 = (int[])a.Clone();
            int na = model.MergeByScan(a), nb = model.MergeByHeap(b2);
            return a.AsSpan(0, na).SequenceEqual(b2.AsSpan(0, nb));
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(' ')]
    [InlineData('7')]
    [InlineData('!')]
    [InlineData('\n')]
    [InlineData('a')]
    [InlineData('\u3000')]
    public void LongRuns_EncodeInLinearTime_AndRoundTrip(char c)
    {
        var tok = TokenizerTestData.Qwen;
        tok.Encode(new string(c, 1000)); // warm up
        string text = "x" + new string(c, 200_000) + "y";
        var sw = Stopwatch.StartNew();
        var ids = tok.Encode(text);
        sw.Stop();
        Assert.Equal(text, tok.Decode(ids));
        // ~30 ms on an idle core; a quadratic split or merge would take minutes.
        Assert.True(sw.Elapsed.TotalSeconds < 10, $"200k '{c}' took {sw.Elapsed.TotalSeconds:F1} s");
    }
}
