// A tiny trainable policy for trainer tests: next-token logits are a learned [V, V] table indexed by the
// previous token (a bigram model), tokens are letters 'A'.. with 0 = EOS. Generation samples from
// softmax(W[prev] / T) with a per-request seeded stream, so runs are reproducible and resumable.
using Rethinker.Models.Policy;
using Rethinker.Tensors;

namespace Rethinker.Training.Tests.Fakes;

public sealed class ToyBigramPolicy : ITrainablePolicy
{
    public const int Eos = 0;
    public int V { get; }
    public Tensor W { get; }   // [V, V]
    public int ResponseLogProbCalls { get; private set; }

    public ToyBigramPolicy(int vocab, float[]? init = null)
    {
        V = vocab;
        W = Tensor.Parameter(init ?? new float[vocab * vocab], vocab, vocab);
    }

    public static char Letter(int id) => (char)('A' + id - 1);

    /// <summary>softmax(W[prev])[token] in double.</summary>
    public double Prob(int prev, int token)
    {
        var row = W.Span.Slice(prev * V, V);
        double max = double.NegativeInfinity, sum = 0;
        foreach (float x in row) max = Math.Max(max, x);
        foreach (float x in row) sum += Math.Exp(x - max);
        return Math.Exp(row[token] - max) / sum;
    }

    public IReadOnlyList<Completion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options, CancellationToken ct = default)
    {
        var result = new List<Completion>();
        foreach (var r in requests)
            for (int k = 0; k < r.N; k++)
            {
                var rng = new Rng(r.Seed * 1000003UL + (ulong)k);
                int prev = r.PrefixTokenIds.Length > 0 ? r.PrefixTokenIds[^1] : r.PromptTokenIds[^1];
                var ids = new List<int>(); var lps = new List<float>(); var raw = new List<float>();
                var finish = FinishReason.Length;
                var p = new float[V];
                while (ids.Count < options.MaxNewTokens)
                {
                    double max = double.NegativeInfinity, z = 0, zRaw = 0;
                    var row = W.Span.Slice(prev * V, V);
                    foreach (float x in row) max = Math.Max(max, x);
                    float T = options.Temperature > 0 ? options.Temperature : 1e-4f;
                    for (int v = 0; v < V; v++) { p[v] = (float)Math.Exp((row[v] - max) / T); z += p[v]; zRaw += Math.Exp(row[v] - max); }
                    for (int v = 0; v < V; v++) p[v] = (float)(p[v] / z);
                    int t = rng.Categorical(p);
                    ids.Add(t); lps.Add(MathF.Log(p[t])); raw.Add((float)(row[t] - max - Math.Log(zRaw)));
                    prev = t;
                    if (options.StopTokenIds.Contains(t)) { finish = FinishReason.StopToken; break; }
                }
                result.Add(new Completion
                {
                    RequestId = r.Id, SampleIndex = k, TokenIds = ids.ToArray(), LogProbs = lps.ToArray(), RawLogProbs = raw.ToArray(),
                    Text = Decode(ids.ToArray()), Finish = finish,
                });
            }
        return result;
    }

    public string Decode(ReadOnlySpan<int> tokenIds, bool skipSpecialTokens = true)
    {
        var sb = new System.Text.StringBuilder();
        foreach (int t in tokenIds) { if (t == Eos) { if (!skipSpecialTokens) sb.Append('$'); } else sb.Append(Letter(t)); }
        return sb.ToString();
    }

    public int[] Encode(string text) => text.Select(c => c >= 'A' && c < 'A' + V - 1 ? c - 'A' + 1
        : throw new ArgumentException($"toy vocabulary has no '{c}'")).ToArray();

    public Tensor ResponseLogProbs(IReadOnlyList<PolicySequence> batch)
    {
        ResponseLogProbCalls++;
        var prev = new List<int>(); var targets = new List<int>();
        foreach (var s in batch)
        {
            int p = s.PromptTokenIds[^1];
            foreach (int t in s.ResponseTokenIds) { prev.Add(p); targets.Add(t); p = t; }
        }
        var logits = Ops.Embedding(W, prev.ToArray());             // [N, V]
        return Ops.TokenLogProbs(logits, targets.ToArray());     // [N]
    }

    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => [("bigram.weight", W)];

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "bigram.json"), System.Text.Json.JsonSerializer.Serialize(W.ToArray()));
    }
}
