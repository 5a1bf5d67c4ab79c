// The jobs one decode step is made of, as unmanaged structs plus static chunk bodies that PhaseRunner calls:
// embedding + rotary tables, RMSNorm, row-chunked GEMV (QKV with biases, O and down projections added into the
// residual stream), SwiGLU MLP, and attention per (sequence, KV head) with the new key/value written into the slot's
// cache rows in place. Shapes: B sequences (one new token each), C hidden, Hq/Hkv heads of D, I intermediate.
using Rethinker.Tensors.Kernels.Decode;
using System.Runtime.CompilerServices;

namespace Rethinker.Models.Generation;

internal static unsafe class DecodePhases
{
    public struct EmbedJob
    {
        public float* Embed, X, InvFreq, Cos, Sin;   // embed [V, C]; x [B, C]; cos/sin [B, D]
        public int* Tokens, Positions;
        public int C, D;
    }

    /// <summary>Chunk b: x[b] = embed[token b]; the rotary tables of position b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void Embed(void* state, int b)
    {
        ref var j = ref *(EmbedJob*)state;
        new ReadOnlySpan<float>(j.Embed + (long)j.Tokens[b] * j.C, j.C).CopyTo(new Span<float>(j.X + (long)b * j.C, j.C));
        DecodeRows.RopeTable(j.Positions[b], j.InvFreq, j.D, j.Cos + b * j.D, j.Sin + b * j.D);
    }

    public struct NormJob
    {
        public float* X, W, Y;
        public int C, RowsPerChunk, M;
        public float Eps;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void Norm(void* state, int chunk)
    {
        ref var j = ref *(NormJob*)state;
        int end = Math.Min(j.M, (chunk + 1) * j.RowsPerChunk);
        for (int b = chunk * j.RowsPerChunk; b < end; b++) DecodeRows.RmsNorm(j.X + (long)b * j.C, j.W, j.Eps, j.Y + (long)b * j.C, j.C);
    }

    public struct GemvChunk
    {
        public float* W, Bias, Y;   // Y: the output column block of this weight matrix
        public int N0, N1;
    }

    public struct GemvJob
    {
        public float* X;
        public long Ldx, Ldy;
        public int M, K, Accumulate;
        public GemvChunk* Chunks;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void Gemv(void* state, int chunk)
    {
        ref var j = ref *(GemvJob*)state;
        ref var c = ref j.Chunks[chunk];
        DecodeGemv.Rows(j.X, j.M, j.Ldx, c.W, j.K, c.Bias, c.Y, j.Ldy, c.N0, c.N1, j.Accumulate != 0);
    }

    public struct SwiGluJob
    {
        public float* X, Wg, Wu, Act, Up;
        public long Ldx, LdAct;
        public int M, K, N, RowsPerChunk;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void SwiGlu(void* state, int chunk)
    {
        ref var j = ref *(SwiGluJob*)state;
        int n0 = chunk * j.RowsPerChunk, n1 = Math.Min(j.N, n0 + j.RowsPerChunk);
        DecodeGemv.SwiGluRows(j.X, j.M, j.Ldx, j.Wg, j.Wu, j.K, j.Act, j.Up, j.LdAct, n0, n1);
    }

    public struct AttentionJob
    {
        public float* Qkv, Out, Cos, Sin;   // qkv [B, (Hq + 2·Hkv)·D]; out [B, Hq·D]; cos/sin [B, D]
        public float** K, V;                // per sequence: this layer's cache rows [capacity, Hkv, D]
        public int* Lens;                   // cached rows before this step's token
        public int Hq, Hkv, D;
        public float Scale;
    }

    [ThreadStatic] static float[]? scores;

    /// <summary>Chunk = (sequence b, KV head h): rotary on its query heads and key, cache write, attention over len + 1 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void Attention(void* state, int chunk)
    {
        ref var j = ref *(AttentionJob*)state;
        int b = chunk / j.Hkv, h = chunk % j.Hkv, group = j.Hq / j.Hkv, D = j.D;
        long width = (long)(j.Hq + 2 * j.Hkv) * D, rowStride = (long)j.Hkv * D;
        float* row = j.Qkv + b * width;
        float* q = row + h * group * D, k = row + (long)j.Hq * D + h * D, v = row + (long)(j.Hq + j.Hkv) * D + h * D;
        float* cos = j.Cos + b * D, sin = j.Sin + b * D;
        DecodeRows.Rope(q, group, D, cos, sin);
        DecodeRows.Rope(k, 1, D, cos, sin);
        int len = j.Lens[b];
        float* kc = j.K[b] + h * D, vc = j.V[b] + h * D;
        new ReadOnlySpan<float>(k, D).CopyTo(new Span<float>(kc + len * rowStride, D));
        new ReadOnlySpan<float>(v, D).CopyTo(new Span<float>(vc + len * rowStride, D));
        int need = group * (len + 1);
        if (scores is null || scores.Length < need) scores = GC.AllocateUninitializedArray<float>(Math.Max(need, 4096), pinned: true);
        fixed (float* s = scores)
            DecodeAttention.Head(q, group, D, kc, vc, rowStride, len + 1, j.Scale, j.Out + (long)b * j.Hq * D + h * group * D, s);
    }
}
