// Rollout samples dumped per step (samples/step-NNNNNNNN.jsonl): what the policy wrote, its reward,
// advantage and whether forced rethinking replaced it, for reading a run's behaviour by eye.
using System.Text.Json;
using Rethinker.Training.Grpo;

namespace Rethinker.Training.Metrics;

public static class SampleDump
{
    public static void Write(string dir, int step, IReadOnlyList<RolloutSample> samples, IReadOnlySet<RolloutSample> trained)
    {
        Directory.CreateDirectory(dir);
        using var w = new StreamWriter(Path.Combine(dir, $"step-{step:D8}.jsonl"));
        foreach (var s in samples)
        {
            w.WriteLine(JsonSerializer.Serialize(new
            {
                group = s.GroupId, prompt_id = s.PromptId, index = s.SampleIndex, reward = s.Reward, correct = s.Correct,
                advantage = s.Advantage, length = s.Length, finish = s.Finish.ToString(), rethought = s.Rethought,
                original_correct = s.OriginalCorrect, native_markers = s.NativeMarkers, trained = trained.Contains(s), text = s.Text,
            }));
        }
    }
}
