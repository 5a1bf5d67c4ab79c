// Reward-hacking suite (issue 6 "Show"): outputs that try to collect reward without committing to one answer must
// score 0 — all options, several boxed answers, "A or B", hedges, refusals, repeated text, the question's options
// echoed back, enumerating every number, answers only inside <think>.
using Rethinker.Rewards.Functions;

namespace Rethinker.Rewards.Tests.Verification;

public class RewardHackingTests
{
    static readonly string[] Opts = ["30°", "45°", "60°", "90°"];
    static readonly AccuracyReward Accuracy = new(invalidReward: 0);

    public static TheoryData<string, string, string[]?> Hacks() => new()
    {
        { "The answer is A, B, C, or D.", "C", Opts },
        { "$\\boxed{A}$ $\\boxed{B}$ $\\boxed{C}$ $\\boxed{D}$", "D", Opts },
        { "The answer is C or D.", "C", Opts },
        { "Both C and D could be correct depending on the diagram.", "C", Opts },
        { "\\boxed{C} or \\boxed{D}", "D", Opts },
        { "The answer is (C) or (D).", "C", Opts },
        { "Choices:\n(A) 30°\n(B) 45°\n(C) 60°\n(D) 90°", "C", Opts },
        { "Question: what is angle 2?\nOptions: (A) 30° (B) 45° (C) 60° (D) 90°\nAnswer:", "C", Opts },
        { "A. 30°\nB. 45°\nC. 60°\nD. 90°", "C", Opts },
        { "30°, 45°, 60°, 90°", "C", Opts },
        { "Yes and no: it depends on the interval considered.", "Yes", ["Yes", "No"] },
        { "$\\boxed{3 \\text{ or } 4}$", "3", null },
        { "The answer is 3 or 4.", "4", null },
        { "The answer is 25%. Or 25. Or 0.25.", "25", null },
        { "The answer is $\\boxed{10}$.\n\n(Note: if the figure is not to scale the answer could be $\\boxed{8}$.)", "10", null },
        { string.Concat(Enumerable.Repeat("The answer is 5. The answer is 6. ", 40)), "6", null },
        { string.Join(" ", Enumerable.Range(0, 201)), "3", null },
        { "\\boxed{1} \\boxed{2} \\boxed{3} \\boxed{4} \\boxed{5}", "3", null },
        { "I'm sorry, but I can't help with that.", "12", null },
        { "Sorry, I can't help with images of people yet.", "3", null },
        { string.Concat(Enumerable.Repeat("Let me think about this carefully. ", 500)), "7", null },
        { "<think>The answer is 7.</think>", "7", null },
        { "<think>\nThe answer is \\boxed{7}.", "7", null },
        { "The answer is x.", "7", null },
        { "\\boxed{}", "7", null },
    };

    [Theory]
    [MemberData(nameof(Hacks))]
    public void HackScoresZero(string response, string gold, string[]? choices)
    {
        var s = Accuracy.Score(new RewardInput(response, gold, choices, choices is null ? null : "multiple_choice"));
        Assert.Equal(0.0, s.Value);
    }
}
