// The question-only baseline: majority answer per question text, falling back to task and answer type;
// on the generated tasks it stays far below perfect, i.e. the answers are in the images.
using Rethinker.Data.Rows;
using Rethinker.Data.Synthetic;

namespace Rethinker.Data.Tests.Synthetic;

public class BlindBaselineTests
{
    static DatasetRow Row(string q, string a, string task = "t") => new() { Id = Guid.NewGuid().ToString(), Question = q, Answer = a, Task = task, AnswerType = "number" };

    [Fact]
    public void PredictsTheMajorityAnswerOfTheSameQuestion_ThenOfTheTask()
    {
        var train = new[] { Row("q1", "3"), Row("q1", "3"), Row("q1", "4"), Row("q2", "7"), Row("q2", "7"), Row("q3", "7") };
        var held = new[] { Row("q1", "3"), Row("q1", "4"), Row("unseen", "7"), Row("unseen", "1") };
        var r = BlindBaseline.Evaluate(train, held);
        Assert.Equal(0.5, r.Accuracy);   // q1→3 right, q1→3 wrong, unseen→7 (task majority) right, then wrong
        Assert.Equal(4, r.Count);
    }

    [Fact]
    public void OnTheSyntheticTasks_QuestionOnlyAccuracyStaysLow()
    {
        var o = new SynthOptions { Seed = 77 };
        var seen = new HashSet<string>();
        var held = SyntheticGenerator.Split(o, SyntheticGenerator.HeldOutSplit, "heldout", 400, seen, out _).Select(e => e.Row).ToList();
        var train = SyntheticGenerator.Split(o, SyntheticGenerator.TrainSplit, "train", 1600, seen, out _).Select(e => e.Row).ToList();
        var r = BlindBaseline.Evaluate(train, held);
        Assert.InRange(r.Accuracy, 0.05, 0.35);
        Assert.All(r.PerTask.Values, a => Assert.True(a < 0.5, $"a task is answerable without the image: {a:P0}"));
    }
}
