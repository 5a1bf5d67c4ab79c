// The benchmark judge on Rethinker.Rewards: the answer verifier decides correctness (gold-directed, hedges and
// option lists wrong) and the rethinking detector marks the segment from the first native marker to the answer.
using Rethinker.Rewards.Functions;
using Rethinker.Rewards.Verification;

namespace Rethinker.Eval.Runner;

public sealed class VerifierJudge(AnswerVerifier? verifier = null) : IAnswerJudge
{
    readonly AnswerVerifier _verifier = verifier ?? AnswerVerifier.Default;

    public Judgement Judge(string response, EvalItem item)
    {
        var r = _verifier.Verify(new VerifyInput(response, item.Gold, item.Choices, item.AnswerType));
        return new Judgement(r.Correct, r.Extracted);
    }

    public IReadOnlyList<(int Start, int Length)> RethinkingSpans(string response)
    {
        var report = RethinkingDetector.Detect(response);
        return report.HasSegment ? [(report.SegmentStart, report.SegmentEnd - report.SegmentStart)] : [];
    }
}
