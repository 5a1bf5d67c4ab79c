// The Qwen2 decoder `model.*` (HF Qwen2VLModel / Qwen2_5_VLModel): token embedding, layers of
// x + o(attn(RMS(x))) and x + down(silu(gate(RMS(x))) · up(RMS(x))), final RMSNorm. Attention: GQA with q/k/v
// biases, M-RoPE, causal over packed sequences (cu_seqlens), optional KV cache. Left out: sliding window
// (Qwen-VL configs keep it off), attention dropout. Training-sized forwards fuse q/k/v and gate/up into one GEMM each.
using Rethinker.Models.Config;
using Rethinker.Models.Modules;
using Rethinker.Tensors;

namespace Rethinker.Models.Qwen;

public sealed class TextAttention : ParamModule
{
    readonly int _heads, _kvHeads, _headDim;
    readonly Dense _q, _k, _v, _o;

    public TextAttention(ModelBuild build, QwenVlConfig c) : base(build)
    {
        _heads = c.NumHeads; _kvHeads = c.NumKvHeads; _headDim = c.HeadDim;
        _q = Child("q_proj", new Dense(build, c.HiddenSize, _heads * _headDim, bias: true));
        _k = Child("k_proj", new Dense(build, c.HiddenSize, _kvHeads * _headDim, bias: true));
        _v = Child("v_proj", new Dense(build, c.HiddenSize, _kvHeads * _headDim, bias: true));
        _o = Child("o_proj", new Dense(build, _heads * _headDim, c.HiddenSize, bias: false));
    }

    // read-only views of the projections for the inference fast path (Generation/FastDecoder)
    public Dense QProj => _q;
    public Dense KProj => _k;
    public Dense VProj => _v;
    public Dense OProj => _o;

    /// <summary>x [T, C]; cos/sin [T, D] (M-RoPE tables); cuSeqlens [nSeq + 1] over the T tokens.</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, ReadOnlySpan<int> cuSeqlens, int layer, IKvCache? cache)
    {
        int T = x.Dim(0);
        Tensor qLin, kLin, vLin;
        if (T >= DecoderLayer.FuseMinRows)
        {
            // one GEMM against the stacked q/k/v weights (the narrow k/v products ride in the wide one), then split
            var qkv = Ops.LinearCat(x, [_q.Weight, _k.Weight, _v.Weight], [_q.Bias, _k.Bias, _v.Bias]);
            var parts = Ops.Split(qkv, 1, _heads * _headDim, _kvHeads * _headDim, _kvHeads * _headDim);
            Scratch.Free(qkv);
            (qLin, kLin, vLin) = (parts[0], parts[1], parts[2]);
        }
        else { qLin = _q.Forward(x); kLin = _k.Forward(x); vLin = _v.Forward(x); }
        var q0 = Ops.Reshape(qLin, T, _heads, _headDim);
        var k0 = Ops.Reshape(kLin, T, _kvHeads, _headDim);
        var q = Ops.Rope(q0, cos, sin);                                 // [T, Hq, D]
        var k = Ops.Rope(k0, cos, sin);                                 // [T, Hkv, D]
        var v = Ops.Reshape(vLin, T, _kvHeads, _headDim);
        Scratch.Free(qLin, kLin, q0, k0);
        Tensor o;
        if (cache is null)
        {
            o = Ops.Attention(q, k, v, cuSeqlens, cuSeqlens, causal: true);
            Scratch.Free(k, v, vLin);
        }
        else
        {
            // the cache may keep k and v: they are not freed here
            var (kAll, vAll, cuK) = cache.Append(layer, k, v, cuSeqlens);
            o = Ops.Attention(q, kAll, vAll, cuSeqlens, cuK, causal: true);
        }
        var flat = Ops.Reshape(o, T, _heads * _headDim);
        var y = _o.Forward(flat);
        Scratch.Free(q, o, flat);
        return y;
    }
}

public sealed class DecoderLayer : ParamModule
{
    readonly TextAttention _attn;
    readonly Dense _gate, _up, _down;
    readonly Rms _inputNorm, _postNorm;

    /// <summary>From this many tokens per forward (training, log-probs, prefill) q/k/v and gate/up each run as one fused
    /// GEMM (Ops.LinearCat) on stacked weights; below it (decode steps) the stacking copy would cost as much as the product.</summary>
    public const int FuseMinRows = 64;

    public DecoderLayer(ModelBuild build, QwenVlConfig c) : base(build)
    {
        _attn = Child("self_attn", new TextAttention(build, c));
        var mlp = Child("mlp", new ParamList<Dense>(build));
        _gate = mlp.AddNamed("gate_proj", new Dense(build, c.HiddenSize, c.IntermediateSize, bias: false));
        _up = mlp.AddNamed("up_proj", new Dense(build, c.HiddenSize, c.IntermediateSize, bias: false));
        _down = mlp.AddNamed("down_proj", new Dense(build, c.IntermediateSize, c.HiddenSize, bias: false));
        _inputNorm = Child("input_layernorm", new Rms(build, c.HiddenSize, c.RmsNormEps));
        _postNorm = Child("post_attention_layernorm", new Rms(build, c.HiddenSize, c.RmsNormEps));
    }

    // read-only views of the sub-modules for the inference fast path (Generation/FastDecoder)
    public TextAttention Attention => _attn;
    public Dense GateProj => _gate;
    public Dense UpProj => _up;
    public Dense DownProj => _down;
    public Rms InputNorm => _inputNorm;
    public Rms PostNorm => _postNorm;

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, ReadOnlySpan<int> cuSeqlens, int layer, IKvCache? cache)
    {
        var n1 = _inputNorm.Forward(x);
        var a = _attn.Forward(n1, cos, sin, cuSeqlens, layer, cache);
        var h = Ops.Add(x, a);
        Scratch.Free(n1, a);
        var n2 = _postNorm.Forward(h);
        Tensor act;
        if (x.Dim(0) >= FuseMinRows)
        {
            var gateUp = Ops.LinearCat(n2, [_gate.Weight, _up.Weight], [_gate.Bias, _up.Bias]);   // [T, 2·inter], one GEMM
            act = Ops.SwiGluCat(gateUp);
            Scratch.Free(n2, gateUp);
        }
        else
        {
            var gate = _gate.Forward(n2);
            var up = _up.Forward(n2);
            act = Ops.SwiGlu(gate, up);
            Scratch.Free(n2, gate, up);
        }
        var down = _down.Forward(act);
        var y = Ops.Add(h, down);
        Scratch.Free(act, down, h);
        return y;
    }
}

public sealed class TextDecoder : ParamModule
{
    readonly QwenVlConfig _c;
    readonly ParamList<DecoderLayer> _layers;
    readonly Rms _norm;

    public TokenEmbedding EmbedTokens { get; }
    public int NumLayers => _layers.Count;
    /// <summary>Layer i (read-only use: the inference fast path reads its weights).</summary>
    public DecoderLayer Layer(int i) => _layers[i];
    public Rms FinalNorm => _norm;

    public TextDecoder(ModelBuild build, QwenVlConfig c) : base(build)
    {
        _c = c;
        EmbedTokens = Child("embed_tokens", new TokenEmbedding(build, c.VocabSize, c.HiddenSize));
        _layers = Child("layers", new ParamList<DecoderLayer>(build));
        for (int i = 0; i < c.NumLayers; i++) _layers.Add(new DecoderLayer(build, c));
        _norm = Child("norm", new Rms(build, c.HiddenSize, c.RmsNormEps));
    }

    /// <summary>
    /// Runs the decoder over packed token embeddings. inputsEmbeds [T, C]; positionIds [3, T] axis-major (t, h, w
    /// rows; from MropePositions, or index + rope delta for decoded tokens); cuSeqlens [nSeq + 1] over the T tokens.
    /// Returns the final-norm hidden states [T, C]. hiddenStates (optional) receives HF's output_hidden_states list:
    /// the input embeddings, each layer's output except the last, then the final norm output.
    /// </summary>
    public Tensor Forward(Tensor inputsEmbeds, ReadOnlySpan<int> positionIds, ReadOnlySpan<int> cuSeqlens,
        IKvCache? cache = null, List<Tensor>? hiddenStates = null)
    {
        EnsureReal();
        int T = inputsEmbeds.Dim(0);
        if (inputsEmbeds.Rank != 2 || inputsEmbeds.Dim(1) != _c.HiddenSize)
            throw new ArgumentException($"text decoder: inputs_embeds must be [T, {_c.HiddenSize}], got [{string.Join(", ", inputsEmbeds.Shape)}]");
        if (cuSeqlens.Length < 2 || cuSeqlens[0] != 0 || cuSeqlens[^1] != T)
            throw new ArgumentException($"text decoder: cu_seqlens must run from 0 to T = {T}, got [{string.Join(", ", cuSeqlens.ToArray())}]");
        var (cos, sin) = RotaryTables.Text(positionIds, T, _c.HeadDim, _c.RopeTheta, _c.MropeSection);
        var x = inputsEmbeds;
        for (int i = 0; i < _layers.Count; i++)
        {
            hiddenStates?.Add(x);
            var next = _layers[i].Forward(x, cos, sin, cuSeqlens, i, cache);
            if (hiddenStates is null && !ReferenceEquals(x, inputsEmbeds)) Scratch.Free(x);
            x = next;
        }
        var y = _norm.Forward(x);
        hiddenStates?.Add(y);
        if (hiddenStates is null && !ReferenceEquals(x, inputsEmbeds)) Scratch.Free(x);
        Scratch.Free(cos, sin);
        return y;
    }
}
