// Pooled storage: a repeated training step (forward, backward, optimizer) reuses the arrays the previous step
// returned, so its managed allocations are only small bookkeeping objects, a tiny fraction of the tensor bytes.
using Rethinker.Tensors.Nn;
using Rethinker.Tensors.Optim;

namespace Rethinker.Tensors.Tests;

public class PoolTests
{
    sealed class TinyBlock : Module
    {
        public readonly Embedding Embed;
        public readonly RmsNorm Norm;
        public readonly Linear Q, K, V, O, Gate, Up, Down, Head;

        public TinyBlock(int vocab, int C, Rng rng)
        {
            Embed = Register("embed_tokens", new Embedding(vocab, C, 0.5f, rng));
            Norm = Register("norm", new RmsNorm(C));
            Q = Register("q_proj", new Linear(C, C, true, rng));
            K = Register("k_proj", new Linear(C, C / 2, true, rng));
            V = Register("v_proj", new Linear(C, C / 2, true, rng));
            O = Register("o_proj", new Linear(C, C, false, rng));
            Gate = Register("gate_proj", new Linear(C, 2 * C, false, rng));
            Up = Register("up_proj", new Linear(C, 2 * C, false, rng));
            Down = Register("down_proj", new Linear(2 * C, C, false, rng));
            Head = Register("lm_head", new Linear(C, vocab, false, rng));
        }

        public Tensor Loss(int[] ids, int[] targets, int[] cu, Tensor cos, Tensor sin, int H, int D)
        {
            int T = ids.Length;
            var x = Embed.Forward(ids);
            var h = Norm.Forward(x);
            var q = Ops.Rope(Ops.Reshape(Q.Forward(h), T, H, D), cos, sin);
            var k = Ops.Rope(Ops.Reshape(K.Forward(h), T, H / 2, D), cos, sin);
            var v = Ops.Reshape(V.Forward(h), T, H / 2, D);
            var a = Ops.Attention(q, k, v, cu, cu, causal: true);
            x = Ops.Add(x, O.Forward(Ops.Reshape(a, T, H * D)));
            x = Ops.Add(x, Down.Forward(Ops.SwiGlu(Gate.Forward(x), Up.Forward(x))));
            var logp = Ops.TokenLogProbs(Head.Forward(x), targets);
            return Ops.Neg(Ops.MeanAll(logp));
        }
    }

    [Fact]
    public void RepeatedTrainingStep_AllocatesAlmostNothing()
    {
        const int vocab = 97, C = 64, H = 4, D = 16, T = 48;
        var rng = new Rng(5);
        var model = new TinyBlock(vocab, C, rng);
        var opt = new AdamW(model.NamedParameters(), new AdamWOptions());
        var ids = Enumerable.Range(0, T).Select(_ => rng.NextInt(vocab)).ToArray();
        var targets = ids.Skip(1).Append(0).ToArray();
        int[] cu = [0, 20, T];
        var cos = Tensor.Zeros(T, D); var sin = Tensor.Zeros(T, D);
        for (int t = 0; t < T; t++) for (int i = 0; i < D; i++) { cos.Span[t * D + i] = MathF.Cos(t * 0.1f * (i % (D / 2))); sin.Span[t * D + i] = MathF.Sin(t * 0.1f * (i % (D / 2))); }

        float Step()
        {
            opt.ZeroGrad();
            var loss = model.Loss(ids, targets, cu, cos, sin, H, D);
            float l = loss.Item();
            loss.Backward();
            loss.Dispose();
            opt.Step(1e-2f);
            return l;
        }

        float first = Step();
        for (int i = 0; i < 3; i++) Step(); // warm-up: JIT, pool fills
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int Steps = 5;
        float last = 0;
        for (int i = 0; i < Steps; i++) last = Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / Steps;
        long tensorBytes = 4L * (T * (6 * C + 4 * C + vocab) * 3); // lower bound of one step's activations + grads
        Assert.True(last < first, $"loss did not drop: {first} → {last}");
        Assert.True(perStep < 24_000, $"a step allocated {perStep} bytes (tensor traffic ≥ {tensorBytes} bytes)");
        Assert.True(perStep * 20 < tensorBytes, $"a step allocated {perStep} bytes vs tensor traffic {tensorBytes}");
    }

    [Fact]
    public void DisposedStorage_IsRentedAgain()
    {
        var a = Tensor.Zeros(12345);
        var arr = a.Data;
        a.Dispose();
        var b = Tensor.Zeros(12345);
        Assert.Same(arr, b.Data);
        Assert.All(b.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ReshapeView_KeepsStorageAliveUntilBothAreDisposed()
    {
        var a = Tensor.Full(3f, 6, 7);
        var v = Ops.Reshape(a, 42);
        var arr = a.Data;
        a.Dispose();
        Assert.Equal(3f, v.Span[41]);
        v.Dispose();
        var c = Tensor.Zeros(6, 7);
        Assert.Same(arr, c.Data);
    }

    [Fact]
    public void VaryingLengths_ReuseABoundedSetOfSizeClasses()
    {
        // SFT packing and GRPO rollouts give a different length every step; exact-length lists would hoard one array per length.
        var rng = new Random(3);
        var distinct = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        foreach (int n in Enumerable.Range(0, 2000).Select(_ => rng.Next(10_000, 20_000)))
        {
            using var t = Tensor.Zeros(n);
            Assert.Equal(n, t.Length);
            Assert.Equal(n, t.Span.Length);
            distinct.Add(t.Data);
        }
        // 10,000..20,000 floats fall in 5 size classes; other tests running alongside may take a few arrays away.
        Assert.True(distinct.Count < 100, $"{distinct.Count} distinct arrays for 2,000 rents");
    }

    [Theory]
    [InlineData(1, 16)] [InlineData(16, 16)] [InlineData(17, 20)] [InlineData(100, 112)] [InlineData(1024, 1024)] [InlineData(1025, 1280)] [InlineData(1_000_000, 1_048_576)]
    public void SizeClass_RoundsUpToAQuarterOfThePowerOfTwoBelow(int length, int expected)
    {
        Assert.Equal(expected, TensorPool.SizeClass(length));
        Assert.True(TensorPool.SizeClass(length) < 1.26 * length + 16);
    }
}
