// Chooses the rethinking trigger (DESIGN.md §5 forced rethinking step 3): with probability p_verify a
// self-verification trigger, otherwise self-questioning when y1 was right and self-correction when wrong;
// uniform within a set.
using Rethinker.Tensors;
using Rethinker.Training.Config;

namespace Rethinker.Training.Rethinking;

public enum TriggerKind { Verification, Questioning, Correction }

public static class TriggerChooser
{
    public static (TriggerKind Kind, string Text) Choose(RethinkingOptions o, bool y1Correct, Rng rng)
    {
        var kind = rng.NextUniform() < o.VerificationProbability ? TriggerKind.Verification
            : y1Correct ? TriggerKind.Questioning : TriggerKind.Correction;
        var set = kind switch
        {
            TriggerKind.Verification => o.VerificationTriggers,
            TriggerKind.Questioning => o.QuestioningTriggers,
            _ => o.CorrectionTriggers,
        };
        return (kind, set[rng.NextInt(set.Length)]);
    }
}
