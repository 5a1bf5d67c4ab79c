// Vision transformer blocks, HF modeling_qwen2_vl.py (Qwen2VLVisionBlock: LayerNorm, QuickGELU fc1/fc2) and
// modeling_qwen2_5_vl.py (Qwen2_5_VLVisionBlock: RMSNorm, SwiGLU gate/up/down with biases). Both: pre-norm
// residual, fused qkv projection, 2-D rotary on q and k, attention block-diagonal over cu_seqlens (per image
// frame, or per window in Qwen2.5-VL's windowed blocks). x: [N, C] patches.
using Rethinker.Models.Config;
using Rethinker.Models.Modules;
using Rethinker.Tensors;

namespace Rethinker.Models.Qwen;

public sealed class VisionAttention : ParamModule
{
    readonly int _heads, _width;
    public Dense Qkv { get; }
    public Dense Proj { get; }

    public VisionAttention(ModelBuild build, int width, int heads) : base(build)
    {
        _heads = heads;
        _width = width;
        Qkv = Child("qkv", new Dense(build, width, 3 * width, bias: true));
        Proj = Child("proj", new Dense(build, width, width, bias: true));
    }

    /// <summary>x [N, C]; cos/sin [N, D]; cuSeqlens over the N rows.</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, ReadOnlySpan<int> cuSeqlens)
    {
        int n = x.Dim(0), d = _width / _heads;
        var qkv = Qkv.Forward(x);                                   // [N, 3C]
        var grouped = Ops.Reshape(qkv, n, 3, _width);
        var parts = Ops.Split(grouped, 1, 1, 1, 1);
        Scratch.Free(qkv, grouped);
        var q0 = Ops.Reshape(parts[0], n, _heads, d);
        var k0 = Ops.Reshape(parts[1], n, _heads, d);
        var q = Ops.Rope(q0, cos, sin);                             // [N, H, D]
        var k = Ops.Rope(k0, cos, sin);
        var v = Ops.Reshape(parts[2], n, _heads, d);
        Scratch.Free(q0, k0, parts[0], parts[1]);
        var o = Ops.Attention(q, k, v, cuSeqlens, cuSeqlens, causal: false);
        Scratch.Free(q, k, v, parts[2]);
        var flat = Ops.Reshape(o, n, _width);
        var y = Proj.Forward(flat);
        Scratch.Free(o, flat);
        return y;
    }
}

/// <summary>A vision block of either family.</summary>
public abstract class VisionBlock(ModelBuild build) : ParamModule(build)
{
    public abstract Tensor Forward(Tensor x, Tensor cos, Tensor sin, ReadOnlySpan<int> cuSeqlens);
}

/// <summary>Qwen2-VL: x + attn(LN1(x)); x + fc2(QuickGELU(fc1(LN2(x)))).</summary>
public sealed class Qwen2VisionBlock : VisionBlock
{
    readonly Norm _norm1, _norm2;
    readonly VisionAttention _attn;
    readonly Dense _fc1, _fc2;

    public Qwen2VisionBlock(ModelBuild build, QwenVisionConfig v) : base(build)
    {
        _norm1 = Child("norm1", new Norm(build, v.Width, 1e-6f));
        _norm2 = Child("norm2", new Norm(build, v.Width, 1e-6f));
        _attn = Child("attn", new VisionAttention(build, v.Width, v.NumHeads));
        var mlp = Child("mlp", new ParamList<Dense>(build));
        _fc1 = new Dense(build, v.Width, v.MlpHidden, bias: true);
        _fc2 = new Dense(build, v.MlpHidden, v.Width, bias: true);
        mlp.AddNamed("fc1", _fc1);
        mlp.AddNamed("fc2", _fc2);
    }

    public override Tensor Forward(Tensor x, Tensor cos, Tensor sin, ReadOnlySpan<int> cuSeqlens)
    {
        EnsureReal();
        var n1 = _norm1.Forward(x);
        var a = _attn.Forward(n1, cos, sin, cuSeqlens);
        var h = Ops.Add(x, a);
        Scratch.Free(n1, a);
        var n2 = _norm2.Forward(h);
        var f1 = _fc1.Forward(n2);
        var act = Ops.QuickGelu(f1);
        Scratch.Free(n2, f1);
        var f2 = _fc2.Forward(act);
        var y = Ops.Add(h, f2);
        Scratch.Free(act, f2, h);
        return y;
    }
}

/// <summary>Qwen2.5-VL: x + attn(RMS1(x)); x + down(silu(gate(RMS2(x))) · up(RMS2(x))).</summary>
public sealed class Qwen25VisionBlock : VisionBlock
{
    readonly Rms _norm1, _norm2;
    readonly VisionAttention _attn;
    readonly Dense _gate, _up, _down;

    public Qwen25VisionBlock(ModelBuild build, QwenVisionConfig v) : base(build)
    {
        _norm1 = Child("norm1", new Rms(build, v.Width, 1e-6f));
        _norm2 = Child("norm2", new Rms(build, v.Width, 1e-6f));
        _attn = Child("attn", new VisionAttention(build, v.Width, v.NumHeads));
        var mlp = Child("mlp", new ParamList<Dense>(build));
        _gate = mlp.AddNamed("gate_proj", new Dense(build, v.Width, v.MlpHidden, bias: true));
        _up = mlp.AddNamed("up_proj", new Dense(build, v.Width, v.MlpHidden, bias: true));
        _down = mlp.AddNamed("down_proj", new Dense(build, v.MlpHidden, v.Width, bias: true));
    }

    public override Tensor Forward(Tensor x, Tensor cos, Tensor sin, ReadOnlySpan<int> cuSeqlens)
    {
        EnsureReal();
        var n1 = _norm1.Forward(x);
        var a = _attn.Forward(n1, cos, sin, cuSeqlens);
        var h = Ops.Add(x, a);
        Scratch.Free(n1, a);
        var n = _norm2.Forward(h);
        var gate = _gate.Forward(n);
        var up = _up.Forward(n);
        var act = Ops.SwiGlu(gate, up);
        Scratch.Free(n, gate, up);
        var down = _down.Forward(act);
        var y = Ops.Add(h, down);
        Scratch.Free(act, down, h);
        return y;
    }
}

/// <summary>
/// PatchMerger: norm (LayerNorm for Qwen2-VL, RMSNorm for Qwen2.5-VL) over [N, C], regroup each merge unit's
/// m² consecutive patches into one row [N/m², C·m²], then mlp.0 → exact GELU → mlp.2 to the LLM width.
/// </summary>
public sealed class PatchMerger : ParamModule
{
    readonly ParamModule _ln;
    readonly Dense _fc0, _fc2;
    readonly int _groupWidth;

    public PatchMerger(ModelBuild build, QwenVlArchitecture arch, QwenVisionConfig v) : base(build)
    {
        _groupWidth = v.Width * v.MergeUnit;
        _ln = arch == QwenVlArchitecture.Qwen2VL
            ? Child("ln_q", new Norm(build, v.Width, 1e-6f))
            : Child("ln_q", new Rms(build, v.Width, 1e-6f));
        var mlp = Child("mlp", new ParamList<Dense>(build));
        _fc0 = mlp.AddNamed("0", new Dense(build, _groupWidth, _groupWidth, bias: true));
        _fc2 = mlp.AddNamed("2", new Dense(build, _groupWidth, v.OutHidden, bias: true));
    }

    public Tensor Forward(Tensor x)
    {
        EnsureReal();
        var n = _ln is Norm ln ? ln.Forward(x) : ((Rms)_ln).Forward(x);
        var grouped = Ops.Reshape(n, -1, _groupWidth);
        var f0 = _fc0.Forward(grouped);
        Scratch.Free(n, grouped);
        var act = Ops.Gelu(f0);
        Scratch.Free(f0);
        var y = _fc2.Forward(act);
        Scratch.Free(act);
        return y;
    }
}
