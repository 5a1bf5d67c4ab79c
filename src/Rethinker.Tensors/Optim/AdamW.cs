// AdamW (Loshchilov & Hutter 2019) as torch.optim.AdamW: decoupled weight decay p ← p·(1 − lr·wd), then
// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε).
// Parameters without a Grad (or frozen) are skipped and keep their moments. State (step, m, v per name) is saved
// and restored bit-exactly. Leaves out amsgrad, maximize, fused/foreach variants.
using System.Numerics.Tensors;

namespace Rethinker.Tensors.Optim;

/// <summary>AdamW hyper-parameters (torch defaults except betas, which RL recipes set to (0.9, 0.95)).</summary>
/// <param name="NoDecay">Parameter names excluded from weight decay (e.g. norms and biases); null: decay all.</param>
/// <param name="LrScale">Per-parameter multiplier of the learning rate (a parameter group's LR, as torch param groups
/// give one: e.g. a faster vision tower); it scales the step and the decoupled decay alike. Null: 1 for all.</param>
/// <param name="WeightDecayOf">Per-parameter weight decay replacing <see cref="WeightDecay"/> (a parameter group's
/// own decay); NoDecay still wins. Null: WeightDecay for all.</param>
public sealed record AdamWOptions(float Beta1 = 0.9f, float Beta2 = 0.999f, float Eps = 1e-8f, float WeightDecay = 0.01f,
    Func<string, bool>? NoDecay = null, Func<string, float>? LrScale = null, Func<string, float>? WeightDecayOf = null)
{
    public void Validate()
    {
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentException($"AdamWOptions.Beta1 must be in [0, 1), got {Beta1}");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentException($"AdamWOptions.Beta2 must be in [0, 1), got {Beta2}");
        if (!(Eps > 0)) throw new ArgumentException($"AdamWOptions.Eps must be > 0, got {Eps}");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"AdamWOptions.WeightDecay must be ≥ 0, got {WeightDecay}");
    }
}

/// <summary>Exported optimizer state: step count and the first/second moments by parameter name.</summary>
public sealed record AdamWState(long Step, IReadOnlyDictionary<string, float[]> M, IReadOnlyDictionary<string, float[]> V);

public sealed class AdamW
{
    sealed class Slot(string name, Tensor p, float decay, float lrScale)
    {
        public readonly string Name = name;
        public readonly Tensor P = p;
        public readonly float Decay = decay;   // this parameter's weight decay (0: none)
        public readonly float LrScale = lrScale;
        public readonly float[] M = new float[p.Length];
        public readonly float[] V = new float[p.Length];
    }

    readonly List<Slot> _slots = [];
    readonly AdamWOptions _o;

    public long StepCount { get; private set; }
    public AdamWOptions Options => _o;

    public AdamW(IEnumerable<(string Name, Tensor Parameter)> parameters, AdamWOptions? options = null)
    {
        _o = options ?? new AdamWOptions();
        _o.Validate();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, p) in parameters)
        {
            if (!seen.Add(name)) throw new ArgumentException($"AdamW: parameter name '{name}' appears twice");
            float scale = _o.LrScale?.Invoke(name) ?? 1f;
            if (!(scale >= 0 && float.IsFinite(scale))) throw new ArgumentException($"AdamW: learning-rate scale of '{name}' must be finite and ≥ 0, got {scale}");
            float wd = _o.NoDecay?.Invoke(name) == true ? 0f : _o.WeightDecayOf?.Invoke(name) ?? _o.WeightDecay;
            if (!(wd >= 0 && float.IsFinite(wd))) throw new ArgumentException($"AdamW: weight decay of '{name}' must be finite and ≥ 0, got {wd}");
            _slots.Add(new Slot(name, p, wd, scale));
        }
    }

    /// <summary>One update with learning rate lr; the step count (bias correction) advances once per call.</summary>
    public void Step(float lr) => Step(lr, zeroGrad: false);

    /// <summary>One update; with zeroGrad every gradient is then set to zero (as <see cref="ZeroGrad"/>) in the same
    /// pass over memory. The parameters are cut into fixed chunks that run in parallel on the kernel worker pool; each
    /// element's arithmetic is the same as the serial loop, so results do not depend on the thread count.</summary>
    public void Step(float lr, bool zeroGrad)
    {
        StepCount++;
        float b1 = _o.Beta1, b2 = _o.Beta2;
        double bc1 = 1 - Math.Pow(b1, StepCount), bc2 = 1 - Math.Pow(b2, StepCount);
        float stepSize = (float)(lr / bc1), sqrtBc2 = (float)Math.Sqrt(bc2);
        var chunks = _chunks;
        chunks.Clear();
        foreach (var s in _slots)
        {
            if (s.P.Grad is null) continue;
            bool update = s.P.RequiresGrad;
            if (!update && !zeroGrad) continue;
            for (int start = 0; start < s.P.Length; start += Chunk)
                chunks.Add((s, start, Math.Min(Chunk, s.P.Length - start), update));
        }
        float eps = _o.Eps;
        Kernels.Rows.RowParallel.For(chunks.Count, 7L * Chunk, (_, lo, hi) =>
        {
            for (int c = lo; c < hi; c++)
            {
                var (s, start, len, update) = chunks[c];
                var g = s.P.Grad!.Span.Slice(start, len);
                if (update)
                {
                    float decay = s.Decay > 0 ? 1f - lr * s.LrScale * s.Decay : 1f;
                    UpdateRow(s.P.Span.Slice(start, len), g, s.M.AsSpan(start, len), s.V.AsSpan(start, len), b1, b2, decay, stepSize * s.LrScale, sqrtBc2, eps);
                }
                if (zeroGrad) g.Clear();
            }
        });
    }

    /// <summary>Floats per parallel work chunk of Step (about 1 MB of p, g, m, v together).</summary>
    const int Chunk = 1 << 16;
    readonly List<(Slot S, int Start, int Length, bool Update)> _chunks = [];

    /// <summary>The per-parameter update (Vector512/256 with a scalar tail; the same float operations in both).</summary>
    internal static void UpdateRow(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float b1, float b2, float decay, float stepSize, float sqrtBc2, float eps)
    {
        int i = Kernels.Rows.Simd.Width switch
        {
            Kernels.Rows.SimdWidth.V512 => UpdateV<Kernels.Rows.Simd512, System.Runtime.Intrinsics.Vector512<float>>(p, g, m, v, b1, b2, decay, stepSize, sqrtBc2, eps),
            Kernels.Rows.SimdWidth.V256 => UpdateV<Kernels.Rows.Simd256, System.Runtime.Intrinsics.Vector256<float>>(p, g, m, v, b1, b2, decay, stepSize, sqrtBc2, eps),
            _ => 0,
        };
        for (; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = m[i] = b1 * m[i] + (1 - b1) * gi;
            float vi = v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            p[i] = p[i] * decay - stepSize * mi / (MathF.Sqrt(vi) / sqrtBc2 + eps);
        }
    }

    static int UpdateV<O, V>(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float b1, float b2, float decay, float stepSize, float sqrtBc2, float eps) where O : Kernels.Rows.ISimd<V> where V : struct
    {
        int n = p.Length - O.Count, i = 0;
        V B1 = O.Splat(b1), C1 = O.Splat(1 - b1), B2 = O.Splat(b2), C2 = O.Splat(1 - b2), Dec = O.Splat(decay),
          Step = O.Splat(stepSize), Bc2 = O.Splat(sqrtBc2), Eps = O.Splat(eps);
        for (; i <= n; i += O.Count)
        {
            V gi = O.Load(g, i);
            V mi = O.Add(O.Mul(B1, O.Load(m, i)), O.Mul(C1, gi));
            V vi = O.Add(O.Mul(B2, O.Load(v, i)), O.Mul(O.Mul(C2, gi), gi));
            O.Store(mi, m, i); O.Store(vi, v, i);
            V den = O.Add(O.Div(O.Sqrt(vi), Bc2), Eps);
            O.Store(O.Sub(O.Mul(O.Load(p, i), Dec), O.Div(O.Mul(Step, mi), den)), p, i);
        }
        return i;
    }

    public void ZeroGrad()
    {
        foreach (var s in _slots) s.P.ZeroGrad();
    }

    public AdamWState ExportState()
    {
        var m = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var v = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var s in _slots) { m[s.Name] = (float[])s.M.Clone(); v[s.Name] = (float[])s.V.Clone(); }
        return new AdamWState(StepCount, m, v);
    }

    public void ImportState(AdamWState state)
    {
        foreach (var s in _slots)
        {
            if (!state.M.TryGetValue(s.Name, out var m) || !state.V.TryGetValue(s.Name, out var v))
                throw new ArgumentException($"AdamW.ImportState: no moments for parameter '{s.Name}'");
            if (m.Length != s.M.Length || v.Length != s.V.Length)
                throw new ArgumentException($"AdamW.ImportState: '{s.Name}' has {m.Length}/{v.Length} moments, parameter has {s.M.Length}");
        }
        foreach (var name in state.M.Keys)
            if (!_slots.Exists(s => s.Name == name)) throw new ArgumentException($"AdamW.ImportState: unexpected parameter '{name}'");
        foreach (var s in _slots) { state.M[s.Name].CopyTo(s.M, 0); state.V[s.Name].CopyTo(s.V, 0); }
        StepCount = state.Step;
    }

    const uint Magic = 0x57414452; // "RDAW"

    /// <summary>Binary state: magic, version, step, count, then per parameter name, length, m, v (little endian).</summary>
    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic); w.Write(1); w.Write(StepCount); w.Write(_slots.Count);
        foreach (var s in _slots)
        {
            w.Write(s.Name); w.Write(s.M.Length);
            w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.M.AsSpan()));
            w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.V.AsSpan()));
        }
    }

    public void Load(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadUInt32() != Magic) throw new InvalidDataException("AdamW.Load: not an AdamW state (bad magic)");
        int version = r.ReadInt32();
        if (version != 1) throw new InvalidDataException($"AdamW.Load: unsupported version {version}");
        long step = r.ReadInt64();
        int count = r.ReadInt32();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException($"AdamW.Load: bad parameter count {count}");
        var m = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var v = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadString();
            int n = r.ReadInt32();
            if (n < 0 || (long)n * 8 > stream.Length) throw new InvalidDataException($"AdamW.Load: bad length {n} for '{name}'");
            var mm = new float[n]; var vv = new float[n];
            ReadFloats(r, mm, name); ReadFloats(r, vv, name);
            m[name] = mm; v[name] = vv;
        }
        ImportState(new AdamWState(step, m, v));
    }

    static void ReadFloats(BinaryReader r, float[] dst, string name)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(dst.AsSpan());
        if (r.Read(bytes) != bytes.Length) throw new InvalidDataException($"AdamW.Load: truncated state for '{name}'");
    }
}
