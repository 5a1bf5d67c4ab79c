// A scripted IGenerator over characters: token id = UTF-16 code, 0 = EOS. Continuations come from a
// delegate, so tests decide what each request "samples" and can inspect every request it received.
using Rethinker.Models.Policy;

namespace Rethinker.Training.Tests.Fakes;

public sealed class CharGenerator(Func<GenerationRequest, int, Completion> respond) : IGenerator
{
    public const int Eos = 0;
    public List<(GenerationRequest Request, SamplingOptions Options)> Calls { get; } = [];

    public IReadOnlyList<Completion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options, CancellationToken cancellationToken = default)
    {
        var result = new List<Completion>();
        foreach (var r in requests)
        {
            Calls.Add((r, options));
            for (int k = 0; k < r.N; k++) result.Add(respond(r, k));
        }
        return result;
    }

    public string Decode(ReadOnlySpan<int> tokenIds, bool skipSpecialTokens = true)
    {
        var sb = new System.Text.StringBuilder();
        foreach (int t in tokenIds) if (t != Eos || !skipSpecialTokens) sb.Append(t == Eos ? "<eos>" : ((char)t).ToString());
        return sb.ToString();
    }

    public int[] Encode(string text) => text.Select(c => (int)c).ToArray();

    public static int[] Tokens(string text, bool eos = true) => eos ? [.. text.Select(c => (int)c), Eos] : text.Select(c => (int)c).ToArray();

    public static Completion Reply(GenerationRequest r, int k, string text, FinishReason finish = FinishReason.StopToken) => new()
    {
        RequestId = r.Id, SampleIndex = k, TokenIds = Tokens(text, finish == FinishReason.StopToken), Text = text, Finish = finish,
    };
}
