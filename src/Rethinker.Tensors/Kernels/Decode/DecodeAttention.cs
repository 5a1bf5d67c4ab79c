// Attention of one new token over a sequence's cached keys/values, one KV head at a time: the `group` query heads
// that share the KV head (GQA, HF repeat_kv: query head i reads KV head i / group) are scored together, so every key
// and value row is read once for all of them. Two passes: scores s = q·kᵀ·scale for all cached rows (kept in a
// scratch row per query head), then softmax and o = Σ p·v. Keys/values are token-major [len, Hkv, D] rows, as the
// KV cache stores them. Reference: Kernels/Reference/AttentionReference (the new token is the last key row, so the
// causal mask admits every cached row).
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels.Decode;

public static unsafe class DecodeAttention
{
    /// <summary>
    /// q [group, D] (contiguous query heads), k/v: the KV head's first row, rows rowStride floats apart, len rows;
    /// o [group, D]; scores: scratch of group·len floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void Head(float* q, int group, int D, float* k, float* v, long rowStride, int len, float scale, float* o, float* scores)
    {
        if (len < 1) throw new ArgumentException("DecodeAttention.Head: a query needs at least one key row");
        Scores(q, group, D, k, rowStride, len, scale, scores);
        for (int i = 0; i < group; i++)
        {
            // softmax in place: p = exp(s − max) / Σ exp(s − max)
            var s = new Span<float>(scores + (long)i * len, len);
            float max = TensorPrimitives.Max(s);
            TensorPrimitives.Subtract(s, max, s);
            TensorPrimitives.Exp(s, s);
            float inv = 1f / TensorPrimitives.Sum(s);
            TensorPrimitives.Multiply(s, inv, s);
        }
        new Span<float>(o, group * D).Clear();
        for (int t = 0; t < len; t++)
        {
            float* vt = v + t * rowStride;
            for (int i = 0; i < group; i++) Axpy(scores[(long)i * len + t], vt, o + i * D, D);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Axpy(float a, float* x, float* y, int D)
    {
        int d = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var av = Vector512.Create(a);
            for (; d + 16 <= D; d += 16) Vector512.Store(DecodeGemv.Fma(av, Vector512.Load(x + d), Vector512.Load(y + d)), y + d);
        }
        for (; d < D; d++) y[d] += a * x[d];
    }

    /// <summary>scores[i·len + t] = scale · q_i · k_t; each key row is loaded once for all query heads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    static void Scores(float* q, int group, int D, float* k, long rowStride, int len, float scale, float* scores)
    {
        int vecD = Vector512.IsHardwareAccelerated ? D / 16 * 16 : 0;
        Vector512<float>* acc = stackalloc Vector512<float>[8];
        for (int i0 = 0; i0 < group; i0 += 8)
        {
            int g = Math.Min(8, group - i0);
            float* qg = q + i0 * D;
            for (int t = 0; t < len; t++)
            {
                float* kt = k + t * rowStride;
                for (int i = 0; i < g; i++) acc[i] = Vector512<float>.Zero;
                for (int d = 0; d < vecD; d += 16)
                {
                    var kv = Vector512.Load(kt + d);
                    for (int i = 0; i < g; i++) acc[i] = DecodeGemv.Fma(Vector512.Load(qg + i * D + d), kv, acc[i]);
                }
                for (int i = 0; i < g; i++)
                {
                    float s = vecD > 0 ? Vector512.Sum(acc[i]) : 0f;
                    for (int d = vecD; d < D; d++) s += qg[i * D + d] * kt[d];
                    scores[(long)(i0 + i) * len + t] = s * scale;
                }
            }
        }
    }

    /// <summary>
    /// Reference-shaped convenience (tests, callers without a schedule): q [B, Hq, D] for B sequences, one new token
    /// each; keys[b]/values[b] point at sequence b's rows [lens[b], Hkv, D]; o [B, Hq, D]. Single-threaded.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> q, float*[] keys, float*[] values, ReadOnlySpan<int> lens, Span<float> o, int Hq, int Hkv, int D, float scale)
    {
        int B = lens.Length, group = Hq / Hkv;
        if (Hq % Hkv != 0) throw new ArgumentException($"DecodeAttention: {Hq} query heads are not a multiple of {Hkv} KV heads");
        if (q.Length < B * Hq * D || o.Length < B * Hq * D) throw new ArgumentException("DecodeAttention: q/o shorter than [B, Hq, D]");
        int maxLen = 1;
        foreach (int l in lens) maxLen = Math.Max(maxLen, l);
        var scratch = new float[group * maxLen];
        fixed (float* pq = q, po = o, ps = scratch)
            for (int b = 0; b < B; b++)
                for (int h = 0; h < Hkv; h++)
                    Head(pq + (b * Hq + h * group) * D, group, D, keys[b] + h * D, values[b] + h * D, (long)Hkv * D, lens[b], scale,
                        po + (b * Hq + h * group) * D, ps);
    }
}
