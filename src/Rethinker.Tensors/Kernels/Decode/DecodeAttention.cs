// Attention of one new token over a sequence's cached keys/values, one KV head at a time: the `group` query heads
// that share the KV head (GQA, HF repeat_kv: query head i reads KV head i / group) are scored together, so every key
// and value row is read once for all of them. Two passes: scores s = q·kᵀ·scale for all cached rows (kept in a
// scratch row per query head), then softmax and o = Σ p·v. Keys/values are token-major [len, Hkv, D] rows, as the
// KV cache stores them. Reference: Kernels/Reference/AttentionReference (the new token is the last key row, so the
// causal mask admits every cached row).
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rethinker.Tensors.Kernels.Decode;

public static unsafe class DecodeAttention
{
    /// <summary>
    /// q [group, D] (contiguous query heads), k/v: the KV head's first row, rows rowStride floats apart, len rows;
    /// o [group, D]; scores: scratch of group·len floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        Values(scores, group, D, v, rowStride, len, o);
    }

    /// <summary>scores[i·len + t] = scale · q_i · k_t; each key row is loaded once for a block of four query heads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    static void Scores(float* q, int group, int D, float* k, long rowStride, int len, float scale, float* scores)
    {
        int vecD = Avx512F.IsSupported ? D / 16 * 16 : 0;
        float* res = stackalloc float[4];
        for (int i0 = 0; i0 < group; i0 += 4)
        {
            int g = Math.Min(4, group - i0);
            // missing heads of a ragged block repeat the last one (computed, not stored)
            float* q0 = q + i0 * D, q1 = q + (i0 + Math.Min(1, g - 1)) * D, q2 = q + (i0 + Math.Min(2, g - 1)) * D, q3 = q + (i0 + Math.Min(3, g - 1)) * D;
            for (int t = 0; t < len; t++)
            {
                float* kt = k + t * rowStride;
                if (vecD > 0)
                {
                    Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                    for (int d = 0; d < vecD; d += 16)
                    {
                        var kv = Vector512.Load(kt + d);
                        s0 = DecodeGemv.Fma(Vector512.Load(q0 + d), kv, s0);
                        s1 = DecodeGemv.Fma(Vector512.Load(q1 + d), kv, s1);
                        s2 = DecodeGemv.Fma(Vector512.Load(q2 + d), kv, s2);
                        s3 = DecodeGemv.Fma(Vector512.Load(q3 + d), kv, s3);
                    }
                    DecodeGemv.Reduce4(s0, s1, s2, s3, res);
                }
                else { res[0] = res[1] = res[2] = res[3] = 0; }
                for (int i = 0; i < g; i++)
                {
                    float s = res[i];
                    float* qi = q + (i0 + i) * D;
                    for (int d = vecD; d < D; d++) s += qi[d] * kt[d];
                    scores[(long)(i0 + i) * len + t] = s * scale;
                }
            }
        }
    }

    /// <summary>o_i = Σ_t p_i[t]·v_t for each query head i; blocks of 4 heads × 64 lanes of D live in 16 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Values(float* p, int group, int D, float* v, long rowStride, int len, float* o)
    {
        int vecD = Avx512F.IsSupported ? D / 16 * 16 : 0;
        Vector512<float>* acc = stackalloc Vector512<float>[16];
        for (int i0 = 0; i0 < group; i0 += 4)
        {
            int g = Math.Min(4, group - i0);
            float* p0 = p + (long)i0 * len, p1 = p + (long)(i0 + Math.Min(1, g - 1)) * len;
            float* p2 = p + (long)(i0 + Math.Min(2, g - 1)) * len, p3 = p + (long)(i0 + Math.Min(3, g - 1)) * len;
            for (int d0 = 0; d0 < vecD; d0 += 64)
            {
                int nc = Math.Min(4, (vecD - d0) / 16);
                Vector512<float> o00 = default, o01 = default, o02 = default, o03 = default, o10 = default, o11 = default, o12 = default, o13 = default;
                Vector512<float> o20 = default, o21 = default, o22 = default, o23 = default, o30 = default, o31 = default, o32 = default, o33 = default;
                for (int t = 0; t < len; t++)
                {
                    float* vt = v + t * rowStride + d0;
                    var a0 = Vector512.Create(p0[t]); var a1 = Vector512.Create(p1[t]);
                    var a2 = Vector512.Create(p2[t]); var a3 = Vector512.Create(p3[t]);
                    var x = Vector512.Load(vt);
                    o00 = DecodeGemv.Fma(a0, x, o00); o10 = DecodeGemv.Fma(a1, x, o10); o20 = DecodeGemv.Fma(a2, x, o20); o30 = DecodeGemv.Fma(a3, x, o30);
                    if (nc > 1)
                    {
                        x = Vector512.Load(vt + 16);
                        o01 = DecodeGemv.Fma(a0, x, o01); o11 = DecodeGemv.Fma(a1, x, o11); o21 = DecodeGemv.Fma(a2, x, o21); o31 = DecodeGemv.Fma(a3, x, o31);
                    }
                    if (nc > 2)
                    {
                        x = Vector512.Load(vt + 32);
                        o02 = DecodeGemv.Fma(a0, x, o02); o12 = DecodeGemv.Fma(a1, x, o12); o22 = DecodeGemv.Fma(a2, x, o22); o32 = DecodeGemv.Fma(a3, x, o32);
                    }
                    if (nc > 3)
                    {
                        x = Vector512.Load(vt + 48);
                        o03 = DecodeGemv.Fma(a0, x, o03); o13 = DecodeGemv.Fma(a1, x, o13); o23 = DecodeGemv.Fma(a2, x, o23); o33 = DecodeGemv.Fma(a3, x, o33);
                    }
                }
                acc[0] = o00; acc[1] = o01; acc[2] = o02; acc[3] = o03; acc[4] = o10; acc[5] = o11; acc[6] = o12; acc[7] = o13;
                acc[8] = o20; acc[9] = o21; acc[10] = o22; acc[11] = o23; acc[12] = o30; acc[13] = o31; acc[14] = o32; acc[15] = o33;
                for (int i = 0; i < g; i++)
                    for (int c = 0; c < nc; c++) acc[i * 4 + c].Store(o + (i0 + i) * D + d0 + c * 16);
            }
            for (int d = vecD; d < D; d++)   // D % 16 leftovers (and every lane without AVX-512)
                for (int i = 0; i < g; i++)
                {
                    float* pi = p + (long)(i0 + i) * len;
                    float s = 0;
                    for (int t = 0; t < len; t++) s += pi[t] * v[t * rowStride + d];
                    o[(i0 + i) * D + d] = s;
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
