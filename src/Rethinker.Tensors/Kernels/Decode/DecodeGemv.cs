// Decode-shaped matrix products over a range of weight rows: y[m, n] = Σ_k x[m, k]·W[n, k] (+ bias[n]) for the
// few token rows of a decode step (nn.Linear weights W [N, K], row-major). Each weight row is streamed from memory
// once and used for every token row while it sits in L1 (4 weight rows × up to 4 token rows per pass), so batch 1
// runs at memory bandwidth and small batches share the read. Callers split [0, N) into row ranges across threads
// (PhaseRunner); epilogues: store, accumulate into y (the residual add), or SwiGLU of a gate/up pair.
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rethinker.Tensors.Kernels.Decode;

public static unsafe class DecodeGemv
{
    /// <summary>
    /// Rows [n0, n1) of y [M, ldy] = x [M, ldx] · Wᵀ (+ bias), W [N, K] with row stride K. accumulate: y += instead of y =.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void Rows(float* x, int M, long ldx, float* W, int K, float* bias, float* y, long ldy, int n0, int n1, bool accumulate)
    {
        float* res = stackalloc float[16];
        for (int n = n0; n < n1; n += 4)
        {
            int wn = Math.Min(4, n1 - n);
            Block(x, M, ldx, W, K, n, wn, y, ldy, res, bias, accumulate);
        }
    }

    /// <summary>
    /// Rows [n0, n1) of act [M, ldAct] = silu(x·Wgᵀ) ∘ (x·Wuᵀ), the gated MLP's hidden activation. up [M, ldAct] is
    /// scratch for the up projection (same row range); the gate is finished in place, vectorised, per token row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void SwiGluRows(float* x, int M, long ldx, float* Wg, float* Wu, int K, float* act, float* up, long ldAct, int n0, int n1)
    {
        Rows(x, M, ldx, Wg, K, null, act, ldAct, n0, n1, accumulate: false);
        Rows(x, M, ldx, Wu, K, null, up, ldAct, n0, n1, accumulate: false);
        for (int m = 0; m < M; m++)
        {
            var g = new Span<float>(act + m * ldAct + n0, n1 - n0);
            var u = new ReadOnlySpan<float>(up + m * ldAct + n0, n1 - n0);
            var s = new Span<float>(up + m * ldAct + n0, n1 - n0);
            // silu(g)·u = g·σ(g)·u; u is read before σ(g) overwrites it only through the product below
            TensorPrimitives.Multiply(g, u, s);          // s = g·u
            TensorPrimitives.Sigmoid(g, g);              // g = σ(g)
            TensorPrimitives.Multiply(g, s, g);          // act = σ(g)·g·u
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    static void Block(float* x, int M, long ldx, float* W, int K, int n, int wn, float* y, long ldy, float* res, float* bias, bool accumulate)
    {
        for (int m = 0; m < M; m += 4)
        {
            int rows = Math.Min(4, M - m);
            Dot(x + m * ldx, rows, ldx, W, K, n, wn, res, prefetch: m == 0);
            for (int r = 0; r < rows; r++)
            {
                float* yr = y + (m + r) * ldy + n;
                for (int j = 0; j < wn; j++)
                {
                    float v = res[r * 4 + j] + (bias == null ? 0f : bias[n + j]);
                    yr[j] = accumulate ? yr[j] + v : v;
                }
            }
        }
    }

    /// <summary>res[r·4 + j] = x_r · W[n + j] for r &lt; rows (≤ 4), j &lt; wn (≤ 4); missing rows repeat the last valid one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    static void Dot(float* x, int rows, long ldx, float* W, int K, int n, int wn, float* res, bool prefetch)
    {
        // the next four weight rows (contiguous, 4·K floats) are fetched while these are used, so a row block never
        // waits for DRAM; only on the first pass over a block (later token rows find it in L1). Prefetches past the
        // matrix end cannot fault.
        float* pf = prefetch ? W + (long)(n + 4) * K : null;
        float* w0 = W + (long)n * K;
        float* w1 = W + (long)(n + Math.Min(1, wn - 1)) * K;
        float* w2 = W + (long)(n + Math.Min(2, wn - 1)) * K;
        float* w3 = W + (long)(n + Math.Min(3, wn - 1)) * K;
        if (!Avx512F.IsSupported)
        {
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < 4; j++)
                    res[r * 4 + j] = Scalar(x + r * ldx, j == 0 ? w0 : j == 1 ? w1 : j == 2 ? w2 : w3, 0, K);
            return;
        }
        switch (rows)
        {
            case 1: Dot1(x, w0, w1, w2, w3, K, res, pf); break;
            case 2: Dot2(x, x + ldx, w0, w1, w2, w3, K, res, pf); break;
            default:
                // three rows run the four-row kernel with the last row repeated
                Dot4(x, x + ldx, x + 2 * ldx, x + Math.Min(3, rows - 1) * ldx, w0, w1, w2, w3, K, res, pf);
                break;
        }
    }

    // Avx512F's FMA is a guaranteed single instruction; the portable Vector512 fallback serves other ISAs
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>Prefetches `lines` consecutive cache lines (16 floats each) from p into L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Prefetch(float* p, int lines)
    {
        if (!Sse.IsSupported) return;
        for (int i = 0; i < lines; i++) Sse.Prefetch0(p + 16 * i);
    }

    static float Scalar(float* a, float* b, int k0, int K)
    {
        float s = 0;
        for (int k = k0; k < K; k++) s += a[k] * b[k];
        return s;
    }

    /// <summary>One token row against four weight rows, K unrolled by two: eight independent FMA chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Dot1(float* x, float* w0, float* w1, float* w2, float* w3, int K, float* res, float* pf)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        int k = 0;
        for (; k + 32 <= K; k += 32)
        {
            if (pf != null) Prefetch(pf + 4 * k, 8);
            var xa = Vector512.Load(x + k);
            var xb = Vector512.Load(x + k + 16);
            a0 = Fma(xa, Vector512.Load(w0 + k), a0);
            a1 = Fma(xa, Vector512.Load(w1 + k), a1);
            a2 = Fma(xa, Vector512.Load(w2 + k), a2);
            a3 = Fma(xa, Vector512.Load(w3 + k), a3);
            b0 = Fma(xb, Vector512.Load(w0 + k + 16), b0);
            b1 = Fma(xb, Vector512.Load(w1 + k + 16), b1);
            b2 = Fma(xb, Vector512.Load(w2 + k + 16), b2);
            b3 = Fma(xb, Vector512.Load(w3 + k + 16), b3);
        }
        for (; k + 16 <= K; k += 16)
        {
            if (pf != null) Prefetch(pf + 4 * k, 4);
            var xa = Vector512.Load(x + k);
            a0 = Fma(xa, Vector512.Load(w0 + k), a0);
            a1 = Fma(xa, Vector512.Load(w1 + k), a1);
            a2 = Fma(xa, Vector512.Load(w2 + k), a2);
            a3 = Fma(xa, Vector512.Load(w3 + k), a3);
        }
        Reduce4(a0 + b0, a1 + b1, a2 + b2, a3 + b3, res);
        if (k < K) Tail(x, w0, w1, w2, w3, k, K, res);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Dot2(float* x0, float* x1, float* w0, float* w1, float* w2, float* w3, int K, float* res, float* pf)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        int k = 0;
        for (; k + 16 <= K; k += 16)
        {
            if (pf != null) Prefetch(pf + 4 * k, 4);
            var xa = Vector512.Load(x0 + k);
            var xb = Vector512.Load(x1 + k);
            var v0 = Vector512.Load(w0 + k); var v1 = Vector512.Load(w1 + k);
            var v2 = Vector512.Load(w2 + k); var v3 = Vector512.Load(w3 + k);
            s00 = Fma(xa, v0, s00); s01 = Fma(xa, v1, s01);
            s02 = Fma(xa, v2, s02); s03 = Fma(xa, v3, s03);
            s10 = Fma(xb, v0, s10); s11 = Fma(xb, v1, s11);
            s12 = Fma(xb, v2, s12); s13 = Fma(xb, v3, s13);
        }
        Reduce4(s00, s01, s02, s03, res);
        Reduce4(s10, s11, s12, s13, res + 4);
        if (k < K) { Tail(x0, w0, w1, w2, w3, k, K, res); Tail(x1, w0, w1, w2, w3, k, K, res + 4); }
    }

    /// <summary>Four token rows × four weight rows: sixteen accumulators, each weight load used four times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Dot4(float* x0, float* x1, float* x2, float* x3, float* w0, float* w1, float* w2, float* w3, int K, float* res, float* pf)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        int k = 0;
        for (; k + 16 <= K; k += 16)
        {
            if (pf != null) Prefetch(pf + 4 * k, 4);
            var v0 = Vector512.Load(w0 + k); var v1 = Vector512.Load(w1 + k);
            var v2 = Vector512.Load(w2 + k); var v3 = Vector512.Load(w3 + k);
            var xa = Vector512.Load(x0 + k);
            s00 = Fma(xa, v0, s00); s01 = Fma(xa, v1, s01);
            s02 = Fma(xa, v2, s02); s03 = Fma(xa, v3, s03);
            xa = Vector512.Load(x1 + k);
            s10 = Fma(xa, v0, s10); s11 = Fma(xa, v1, s11);
            s12 = Fma(xa, v2, s12); s13 = Fma(xa, v3, s13);
            xa = Vector512.Load(x2 + k);
            s20 = Fma(xa, v0, s20); s21 = Fma(xa, v1, s21);
            s22 = Fma(xa, v2, s22); s23 = Fma(xa, v3, s23);
            xa = Vector512.Load(x3 + k);
            s30 = Fma(xa, v0, s30); s31 = Fma(xa, v1, s31);
            s32 = Fma(xa, v2, s32); s33 = Fma(xa, v3, s33);
        }
        Reduce4(s00, s01, s02, s03, res);
        Reduce4(s10, s11, s12, s13, res + 4);
        Reduce4(s20, s21, s22, s23, res + 8);
        Reduce4(s30, s31, s32, s33, res + 12);
        if (k < K)
        {
            Tail(x0, w0, w1, w2, w3, k, K, res); Tail(x1, w0, w1, w2, w3, k, K, res + 4);
            Tail(x2, w0, w1, w2, w3, k, K, res + 8); Tail(x3, w0, w1, w2, w3, k, K, res + 12);
        }
    }

    /// <summary>res[0..4) = the lane sums of s0..s3: halves added, then three horizontal adds (not four full reductions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Reduce4(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, float* res)
    {
        var t0 = s0.GetLower() + s0.GetUpper();
        var t1 = s1.GetLower() + s1.GetUpper();
        var t2 = s2.GetLower() + s2.GetUpper();
        var t3 = s3.GetLower() + s3.GetUpper();
        var v = Avx.HorizontalAdd(Avx.HorizontalAdd(t0, t1), Avx.HorizontalAdd(t2, t3));   // per 128-bit lane: [Σt0, Σt1, Σt2, Σt3]
        (v.GetLower() + v.GetUpper()).Store(res);
    }

    /// <summary>Adds the K % 16 leftover products (off the hot path: no call inside the vector kernels' live ranges).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Tail(float* x, float* w0, float* w1, float* w2, float* w3, int k, int K, float* res)
    {
        res[0] += Scalar(x, w0, k, K); res[1] += Scalar(x, w1, k, K);
        res[2] += Scalar(x, w2, k, K); res[3] += Scalar(x, w3, k, K);
    }
}
