// Streaming decode must concatenate to the one-shot decode for any id sequence (split multi-byte chars,
// broken UTF-8, special tokens), and hold back a character until its last byte arrives.
using FsCheck;
using FsCheck.Fluent;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public class StreamingDecoderTests
{
    [Fact]
    public void StreamedPieces_ConcatenateToDecode_ForRandomIds()
    {
        var tok = TokenizerTestData.Qwen;
        // Byte tokens (ids of single bytes), ordinary tokens and special tokens.
        var id = Gen.OneOf(Gen.Choose(0, 255), Gen.Choose(0, 151642), Gen.Choose(151643, 151668));
        var gen = Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(id, n));
        foreach (bool skip in new[] { false, true })
        {
            Prop.ForAll(gen.ToArbitrary(), ids =>
            {
                var dec = new StreamingDecoder(tok, skip);
                string streamed = string.Concat(ids.Select(dec.Push)) + dec.Flush();
                return streamed == tok.Decode(ids, skip);
            }).QuickCheckThrowOnFailure();
        }
    }

    [Fact]
    public void MultiByteChar_IsHeldUntilComplete()
    {
        var tok = TokenizerTestData.Qwen;
        var dec = new StreamingDecoder(tok);
        // "𠮷" is four bytes; feed them as four single-byte tokens.
        var ids = System.Text.Encoding.UTF8.GetBytes("𠮷").Select(b => tok.Model.Vocab[ByteLevel.ByteToChar[b].ToString()]).ToArray();
        Assert.Equal("", dec.Push(ids[0]));
        Assert.Equal("", dec.Push(ids[1]));
        Assert.Equal("", dec.Push(ids[2]));
        Assert.Equal("𠮷", dec.Push(ids[3]));
        Assert.Equal("", dec.Flush());
    }
}
