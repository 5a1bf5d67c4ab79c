// Every check is bounded (DESIGN.md §4, issue 6): a 1 MB response, 10,000 nested braces, deep \frac nesting, thousands
// of answer markers or unbalanced groups all return within 50 ms of CPU time (median of 3 runs after a warm-up).
using System.Text;
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Tests.Verification;

[Collection(TimingCollection.Name)]
public class BoundedTimeTests
{
    static double MedianMs(VerifyInput input)
    {
        // warm-up (JIT tiers, lazily built regex automata), then the median of three timed runs
        for (int i = 0; i < 3; i++) AnswerVerifier.Default.Verify(input);
        var times = new double[3];
        for (int i = 0; i < 3; i++) times[i] = CpuTimer.Measure(() => AnswerVerifier.Default.Verify(input));
        Array.Sort(times);
        return times[1];
    }

    static string Repeat(string s, int totalChars)
    {
        var sb = new StringBuilder(totalChars + s.Length);
        while (sb.Length < totalChars) sb.Append(s);
        return sb.ToString();
    }

    public static TheoryData<string, string> Inputs() => new()
    {
        { "1 MB of reasoning then a boxed answer", Repeat("We compute the area of the triangle, 6 * 8 / 2 = 24, and check it. ", 1 << 20) + "\\boxed{24}" },
        { "10,000 nested braces in a box", "\\boxed{" + new string('{', 10_000) + "24" + new string('}', 10_000) + "}" },
        { "10,000 unclosed braces", "\\boxed{" + new string('{', 10_000) + "24" },
        { "deeply nested fractions", "\\boxed{" + Repeat("\\frac{1}{", 9_000) + "2" + new string('}', 1_000) + "}" },
        { "1 MB of answer phrases", Repeat("The answer is 5. The answer is 6. ", 1 << 20) },
        { "1 MB of boxes", Repeat("\\boxed{1} ", 1 << 20) },
        { "1 MB of parentheses", "\\boxed{" + new string('(', 1 << 20) + "}" },
        { "1 MB without spaces", new string('7', 1 << 20) },
        { "1 MB of think tags", Repeat("<think>a</think>", 1 << 20) + "The answer is 24." },
        { "many option letters", Repeat("(A) (B) (C) (D) ", 1 << 20) },
        { "long inequality chain", "\\boxed{" + Repeat("1 < ", 2000) + "x}" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void AdversarialResponse_ReturnsWithin50Ms(string name, string response)
    {
        double ms = Math.Max(MedianMs(new VerifyInput(response, "24")), MedianMs(new VerifyInput(response, "C", ["1", "2", "3", "4"])));
        Assert.True(ms < 50, $"{name}: {ms:0.0} ms");
    }
}
