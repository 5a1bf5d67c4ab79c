// Counters of one forced-rethinking pass, logged as rethink/* metrics (DESIGN.md §5: share of responses
// rethought, kept, improved; native rethinking rate) plus why continuations were rejected.
namespace Rethinker.Training.Rethinking;

public sealed class RethinkStats
{
    public int Responses { get; set; }
    public int NativeRethinking { get; set; }
    public int Eligible { get; set; }
    public int SkippedEasyWrong { get; set; }
    public int Forced { get; set; }
    public int Truncated { get; set; }
    public int Kept { get; set; }
    public int Improved { get; set; }
    public int ContinuationTokens { get; set; }
    public Dictionary<TriggerKind, int> Triggers { get; } = new() { [TriggerKind.Verification] = 0, [TriggerKind.Questioning] = 0, [TriggerKind.Correction] = 0 };
    public Dictionary<RethinkRejection, int> Rejected { get; } = Enum.GetValues<RethinkRejection>().ToDictionary(r => r, _ => 0);
}

/// <summary>Why a forced continuation was not kept (DESIGN.md §5 forced rethinking step 5).</summary>
public enum RethinkRejection
{
    /// <summary>The final answer after rethinking is not correct.</summary>
    Wrong,
    /// <summary>Fewer than min_continuation_tokens.</summary>
    TooShort,
    /// <summary>More than max_continuation_tokens, or y1' + trigger + continuation over max_total_tokens.</summary>
    TooLong,
    /// <summary>Hit the token budget without a stop token (require_finished).</summary>
    NotFinished,
    /// <summary>More than max_markers rethinking markers in the continuation.</summary>
    TooManyMarkers,
    /// <summary>The prompt already has max_per_prompt rethought responses.</summary>
    PromptLimit,
}
