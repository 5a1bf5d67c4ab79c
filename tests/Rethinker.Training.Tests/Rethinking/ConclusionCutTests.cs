using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Rethinking;

namespace Rethinker.Training.Tests.Rethinking;

public class ConclusionCutTests
{
    [Theory]
    // last "Wait", back to the blank line before it
    [InlineData("Step 1.\n\nStep 2.\n\nWait, check.\n\nSo \\boxed{3}.", "Step 1.\n\nStep 2.")]
    // two Waits: the last one counts
    [InlineData("A\n\nWait x\n\nB\n\nWait y \\boxed{1}", "A\n\nWait x\n\nB")]
    // no Wait: last \boxed, back to blank line
    [InlineData("Reason.\n\nMore reason.\n\nThus \\boxed{2} and \\boxed{3}", "Reason.\n\nMore reason.")]
    // no Wait, no \boxed: first "answer" (any case)
    [InlineData("Think.\n\nMore.\n\nThe Answer is 4. Final answer 4.", "Think.\n\nMore.")]
    // no blank line before the marker: cut at the marker itself
    [InlineData("Compute 2+2 = 4 so \\boxed{4}", "Compute 2+2 = 4 so ")]
    public void Find_CutsBeforeConclusionAtLastBlankLine(string text, string expected)
    {
        int? cut = ConclusionCut.Find(text);
        Assert.NotNull(cut);
        Assert.Equal(expected, text[..cut!.Value]);
    }

    [Theory]
    [InlineData("just some text 42")]      // no marker at all
    [InlineData("\\boxed{4}")]             // marker at the very start: nothing would remain
    [InlineData("\n\nWait")]               // blank line at 0: nothing would remain
    public void Find_ReturnsNullWhenNothingToCut(string text) => Assert.Null(ConclusionCut.Find(text));

    [Fact]
    public void AlignToTokens_KeepsLongestTokenPrefixWithinCut()
    {
        string[] pieces = ["Step", " one", ".\n", "\nThe", " answer"];
        var ids = Enumerable.Range(0, pieces.Length).ToArray();
        string Decode(int[] t) => string.Concat(t.Select(i => pieces[i]));
        string text = Decode(ids);
        int cut = ConclusionCut.Find(text)!.Value;           // "Step one." (blank line splits tokens 2 and 3)
        Assert.Equal("Step one.", text[..cut]);
        Assert.Equal(2, ConclusionCut.AlignToTokens(ids, cut, Decode)); // "Step one.\n" would pass the cut; keep 2 tokens
        Assert.Equal(0, ConclusionCut.AlignToTokens(ids, 3, Decode));
        Assert.Equal(5, ConclusionCut.AlignToTokens(ids, text.Length, Decode));
    }

    [Fact]
    public void Markers_CountWholeWordsCaseInsensitive()
    {
        string[] m = ["wait", "alternatively"];
        Assert.Equal(3, RethinkMarkers.Count("Wait, no. WAIT! Alternatively x", m));
        Assert.Equal(0, RethinkMarkers.Count("I awaited the waiter", m));
        Assert.Equal(1, RethinkMarkers.Count("...wait", m));
    }

    [Fact]
    public void Trigger_VerificationWithProbabilityPElseQuestioningIfRightCorrectionIfWrong()
    {
        var o = new RethinkingOptions();
        Assert.Equal(TriggerKind.Verification, TriggerChooser.Choose(o with { VerificationProbability = 1 }, false, new Rng(1)).Kind);
        var q = TriggerChooser.Choose(o with { VerificationProbability = 0 }, true, new Rng(1));
        Assert.Equal((TriggerKind.Questioning, "\n\nWait, let's double check"), q);
        var c = TriggerChooser.Choose(o with { VerificationProbability = 0 }, false, new Rng(1));
        Assert.Equal((TriggerKind.Correction, "\n\nWait, there might be a mistake"), c);

        var rng = new Rng(9);
        int verify = 0, plain = 0;
        for (int i = 0; i < 4000; i++)
        {
            var (kind, text) = TriggerChooser.Choose(o, true, rng);
            if (kind == TriggerKind.Verification) { verify++; if (text == "\n\nWait") plain++; }
            else Assert.Equal(TriggerKind.Questioning, kind);
        }
        Assert.InRange(verify, 1880, 2120);            // 0.5 ± ~4σ
        Assert.InRange(plain / (double)verify, 0.45, 0.55); // uniform within the set
    }
}
