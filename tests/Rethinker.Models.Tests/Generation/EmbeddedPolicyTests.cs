// Generation on the transformers fixture models (tiny Qwen2-VL and Qwen2.5-VL, byte vocabulary): greedy decoding
// equals HF generate(), the KV cache equals a full recompute, results do not depend on batch composition, and the
// N samples of a request share one prefill. Fixture files: TestData/hf-qwen-vl (see its README).
using Rethinker.Models.Generation;
using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;
using Rethinker.Tensors;

namespace Rethinker.Models.Tests.Generation;

public sealed class EmbeddedPolicyTests
{
    static readonly int[] Suppressed = Enumerable.Range(280, 20).ToArray();
    static readonly Dictionary<string, QwenVlModel> Models = [];

    static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", "hf-qwen-vl", .. parts]);

    static QwenVlModel Model(string arch)
    {
        lock (Models)
        {
            if (!Models.TryGetValue(arch, out var m)) Models[arch] = m = QwenVlModel.Load(Data(arch));
            return m;
        }
    }

    /// <summary>A fixture case as a request; its images are placeholders whose pixel values the preprocessor serves.</summary>
    sealed record Case(int[] InputIds, float[]? Pixels, int[]? PixelShape, GridThw[] Grids, SafeTensorsFile File);

    static Case LoadCase(string arch, string name)
    {
        var f = SafeTensorsFile.Open(Data(arch, name + ".safetensors"));
        var ids = f.ReadInt32("input_ids");
        if (!f.Contains("image_grid_thw")) return new Case(ids, null, null, [], f);
        return new Case(ids, f.ReadSingle("pixel_values"), f.Entry("pixel_values").Shape.ToArray(), GridThw.FromTable(f.ReadInt64("image_grid_thw")), f);
    }

    /// <summary>Each placeholder image carries its case index in its one pixel; the preprocessor looks it up.</summary>
    static EmbeddedPolicy Policy(string arch, List<Case> cases, GeneratorOptions? options = null) =>
        new(Model(arch), new ByteTokenCodec(), images =>
        {
            var byCase = images.Select(i => cases[i.Pixels[0]]).Distinct().ToList();
            Assert.Single(byCase);
            var c = byCase[0];
            return (Tensor.FromArray(c.Pixels!, c.PixelShape!), c.Grids);
        }, options);

    static GenerationRequest Request(string id, List<Case> cases, int caseIndex, int[]? prefix = null, int n = 1, ulong seed = 0)
    {
        var c = cases[caseIndex];
        return new GenerationRequest
        {
            Id = id, PromptTokenIds = c.InputIds, N = n, Seed = seed, PrefixTokenIds = prefix ?? [],
            Images = c.Grids.Select(_ => RgbImage.Create(1, 1, [(byte)caseIndex, 0, 0])).ToList(),
        };
    }

    static readonly string[] CaseNames = ["two_images", "one_image", "text_only"];

    public static TheoryData<string, string> AllCases()
    {
        var d = new TheoryData<string, string>();
        foreach (var a in new[] { "qwen2_vl", "qwen2_5_vl" }) foreach (var c in CaseNames) d.Add(a, c);
        return d;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Greedy_MatchesTransformersGenerate(string arch, string caseName)
    {
        var cases = new List<Case> { LoadCase(arch, caseName) };
        var policy = Policy(arch, cases);
        var sampling = new SamplingOptions { Temperature = 0, MaxNewTokens = 8, SuppressTokenIds = Suppressed };
        var c = policy.Generate([Request("x", cases, 0)], sampling).Single();
        Assert.Equal(cases[0].File.ReadInt32("generated_ids"), c.TokenIds);
        Assert.Equal(FinishReason.Length, c.Finish);
        // Raw log-probs come from the cached logits; HF's per-step logits give the reference.
        var stepLogits = cases[0].File.ReadSingle("generate_step_logits");
        int V = Model(arch).Config.VocabSize;
        for (int t = 0; t < 8; t++)
        {
            var row = stepLogits.AsSpan(t * V, V);
            double max = row.ToArray().Max(), z = row.ToArray().Sum(x => Math.Exp(x - max));
            Assert.Equal(row[c.TokenIds[t]] - max - Math.Log(z), c.RawLogProbs[t], 4);
        }
    }

    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("qwen2_5_vl")]
    public void CachedDecode_EqualsFullRecompute(string arch)
    {
        var cases = new List<Case> { LoadCase(arch, "two_images") };
        var policy = Policy(arch, cases);
        var c = policy.Generate([Request("x", cases, 0, seed: 7)], new SamplingOptions { Temperature = 1, MaxNewTokens = 12, SuppressTokenIds = Suppressed }).Single();
        Tensor full;
        using (Autograd.NoGrad())
            full = policy.ResponseLogProbs([new PolicySequence(cases[0].InputIds, Request("x", cases, 0).Images, c.TokenIds)]);
        var recomputed = full.ToArray();
        Assert.Equal(c.TokenIds.Length, recomputed.Length);
        // an absolute 1e-4 bound (Assert.Equal with a precision rounds both sides, so a 1e-7 difference at a rounding
        // boundary would fail)
        for (int t = 0; t < recomputed.Length; t++)
            Assert.True(Math.Abs(recomputed[t] - c.RawLogProbs[t]) <= 1e-4, $"token {t}: full {recomputed[t]} vs cached {c.RawLogProbs[t]}");
    }

    /// <summary>Sixteen requests over three cases with prefixes of different lengths.</summary>
    static List<GenerationRequest> Sixteen(List<Case> cases) =>
        Enumerable.Range(0, 16).Select(i => Request($"r{i}", cases, i % 3, prefix: Enumerable.Range(0, i % 5).Select(k => 97 + k).ToArray(), seed: (ulong)(100 + i))).ToList();

    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("qwen2_5_vl")]
    public void GreedyTokens_DoNotDependOnBatchComposition(string arch)
    {
        var cases = CaseNames.Select(n => LoadCase(arch, n)).ToList();
        var sampling = new SamplingOptions { Temperature = 0, MaxNewTokens = 6, SuppressTokenIds = Suppressed };
        var requests = Sixteen(cases);
        var together = Policy(arch, cases).Generate(requests, sampling);
        for (int i = 0; i < requests.Count; i++)
        {
            var alone = Policy(arch, cases).Generate([requests[i]], sampling).Single();
            Assert.Equal(alone.TokenIds, together[i].TokenIds);
        }
    }

    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("qwen2_5_vl")]
    public void SeededSamples_DoNotDependOnBatchCompositionOrSlots(string arch)
    {
        var cases = CaseNames.Select(n => LoadCase(arch, n)).ToList();
        var sampling = new SamplingOptions { Temperature = 1.2f, TopK = 50, MaxNewTokens = 10, SuppressTokenIds = Suppressed };
        var requests = Sixteen(cases);
        var wide = Policy(arch, cases).Generate(requests, sampling);
        var reversed = Enumerable.Reverse(requests).ToList();
        var narrow = Policy(arch, cases, new GeneratorOptions { MaxBatch = 3, PrefillTokenBudget = 100 }).Generate(reversed, sampling);
        for (int i = 0; i < requests.Count; i++)
            Assert.Equal(wide[i].TokenIds, narrow[requests.Count - 1 - i].TokenIds);
        Assert.True(wide.Select(c => string.Join(",", c.TokenIds)).Distinct().Count() > 8, "sampling should vary across seeds");
    }

    [Fact]
    public void GroupSamples_ShareOnePrefillAndMatchSingleSampleStreams()
    {
        var cases = new List<Case> { LoadCase("qwen2_5_vl", "one_image") };
        var sampling = new SamplingOptions { Temperature = 1, MaxNewTokens = 8, SuppressTokenIds = Suppressed };
        int prefills = 0;
        var policy = new EmbeddedPolicy(Model("qwen2_5_vl"), new ByteTokenCodec(), images =>
        {
            prefills++;
            return (Tensor.FromArray(cases[0].Pixels!, cases[0].PixelShape!), cases[0].Grids);
        });
        var group = policy.Generate([Request("g", cases, 0, n: 4, seed: 5)], sampling);
        Assert.Equal(1, prefills); // one image encoding for the whole group
        Assert.Equal(4, group.Count);
        Assert.Equal([0, 1, 2, 3], group.Select(c => c.SampleIndex));
        var single = policy.Generate([Request("g", cases, 0, n: 1, seed: 5)], sampling).Single();
        Assert.Equal(single.TokenIds, group[0].TokenIds);
        Assert.True(group.Select(c => string.Join(",", c.TokenIds)).Distinct().Count() > 1);
    }

    [Fact]
    public void Continuation_FromAssistantPrefix_ResumesTheSameGreedyPath()
    {
        var cases = new List<Case> { LoadCase("qwen2_vl", "two_images") };
        var policy = Policy("qwen2_vl", cases);
        var sampling = new SamplingOptions { Temperature = 0, MaxNewTokens = 8, SuppressTokenIds = Suppressed };
        var full = policy.Generate([Request("x", cases, 0)], sampling).Single();
        var cont = policy.Generate([Request("x", cases, 0, prefix: full.TokenIds[..3])], sampling with { MaxNewTokens = 5 }).Single();
        Assert.Equal(full.TokenIds[3..], cont.TokenIds);
    }

    [Fact]
    public void StopTokenAndStopString_EndSequences()
    {
        var cases = new List<Case> { LoadCase("qwen2_vl", "text_only") };
        var policy = Policy("qwen2_vl", cases);
        var greedy = new SamplingOptions { Temperature = 0, MaxNewTokens = 8, SuppressTokenIds = Suppressed };
        var full = policy.Generate([Request("x", cases, 0)], greedy).Single();
        var stopped = policy.Generate([Request("x", cases, 0)], greedy with { StopTokenIds = [full.TokenIds[2]] }).Single();
        int firstStop = Array.IndexOf(full.TokenIds, full.TokenIds[2]);
        Assert.Equal(FinishReason.StopToken, stopped.Finish);
        Assert.Equal(full.TokenIds[..(firstStop + 1)], stopped.TokenIds);
        string stop = full.Text.Length >= 3 ? full.Text.Substring(1, 2) : full.Text;
        var byString = policy.Generate([Request("x", cases, 0)], greedy with { StopStrings = [stop] }).Single();
        Assert.Equal(FinishReason.StopString, byString.Finish);
        Assert.EndsWith(stop, byString.Text);
    }

    [Fact]
    public void StopStrings_EndAtTheFirstTokenWhoseTextContainsThem_FarIntoLongOutputs()
    {
        // the run checks a bounded decoded tail per token; the expectation here decodes every full prefix
        var cases = new List<Case> { LoadCase("qwen2_5_vl", "text_only") };
        var policy = Policy("qwen2_5_vl", cases);
        var greedy = new SamplingOptions { Temperature = 0, MaxNewTokens = 48, SuppressTokenIds = Suppressed };
        var full = policy.Generate([Request("x", cases, 0)], greedy).Single();
        Assert.True(full.Text.Length >= 40, $"fixture output too short for this test: '{full.Text}'");
        var stopSets = new[] { new[] { full.Text.Substring(35, 4) }, [full.Text.Substring(20, 1), "never-appears"], [full.Text[^6..], full.Text.Substring(12, 9)] };
        foreach (var stops in stopSets)
        {
            int expectTokens = -1;
            string expectText = "";
            for (int n = 1; n <= full.TokenIds.Length && expectTokens < 0; n++)
            {
                string text = policy.Decode(full.TokenIds.AsSpan(0, n));
                foreach (var stop in stops)
                {
                    int at = text.IndexOf(stop, StringComparison.Ordinal);
                    if (at >= 0) { expectTokens = n; expectText = text[..(at + stop.Length)]; break; }
                }
            }
            var got = policy.Generate([Request("x", cases, 0)], greedy with { StopStrings = stops }).Single();
            Assert.Equal(FinishReason.StopString, got.Finish);
            Assert.Equal(full.TokenIds[..expectTokens], got.TokenIds);
            Assert.Equal(expectText, got.Text);
        }
    }

    [Fact]
    public void ResponseLogProbs_AreDifferentiable()
    {
        var cases = new List<Case> { LoadCase("qwen2_5_vl", "one_image") };
        var policy = Policy("qwen2_5_vl", cases);
        var lp = policy.ResponseLogProbs([new PolicySequence(cases[0].InputIds, Request("x", cases, 0).Images, [65, 66, 67])]);
        Assert.Equal([3], lp.Shape);
        var loss = Ops.MeanAll(lp);
        loss.Backward();
        var grads = policy.NamedParameters().Where(p => p.Parameter.Grad is not null).Select(p => p.Name).ToList();
        Assert.Contains(grads, n => n.StartsWith("visual.", StringComparison.Ordinal));
        Assert.Contains(grads, n => n.StartsWith("model.layers.", StringComparison.Ordinal));
        foreach (var (_, p) in policy.NamedParameters()) p.ZeroGrad();
    }
}
