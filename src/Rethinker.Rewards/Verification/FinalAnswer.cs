// Gold-free access to a response's final answer: its text (last explicit candidate, else the fallback sentence) and,
// when it reads as one, its numeric value. Used by rewards that score the answer without the verifier's gold logic
// (Reason-RFT math and function rewards).
namespace Rethinker.Rewards.Verification;

public static class FinalAnswer
{
    public static string? Text(string response)
    {
        var ex = AnswerExtractor.Extract(ResponseText.Prepare(response));
        for (int i = ex.Candidates.Count - 1; i >= 0; i--)
            if (ex.Candidates[i].Kind != CandidateKind.Mentions && ex.Candidates[i].Text.Length > 0) return ex.Candidates[i].Text;
        return null;
    }

    public static double? Number(string response)
    {
        var ex = AnswerExtractor.Extract(ResponseText.Prepare(response));
        var numberGold = GoldAnswer.Parse("0", null, "float");
        for (int i = ex.Candidates.Count - 1; i >= 0; i--)
        {
            var c = ex.Candidates[i];
            if (c.Kind == CandidateKind.Mentions) continue;
            var r = AnswerJudge.Judge(c, numberGold);
            if (r.Verdict == Judgement.Unparseable) continue;
            string text = c.Kind == CandidateKind.Fallback ? AnswerJudge.FallbackTail(c.Text, numberGold) : c.Text;
            var n = NumericForms.Parse(Expressions.LatexToPlain.Convert(text) ?? text, allowSymbols: false);
            if (n is null) continue;
            double v = n.Expr.Eval(null);
            return v;
        }
        return null;
    }
}
