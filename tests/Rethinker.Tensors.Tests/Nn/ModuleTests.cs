// Modules: HF dotted names in registration order, parameter counts, freeze, state-dict load with clear errors.
using Rethinker.Tensors.Nn;

namespace Rethinker.Tensors.Tests.Nn;

public class ModuleTests
{
    sealed class Attn : Module
    {
        public Attn() { Register("q_proj", new Linear(4, 4, true)); Register("o_proj", new Linear(4, 4, false)); }
    }

    sealed class Layer : Module
    {
        public Layer() { Register("input_layernorm", new RmsNorm(4)); Register("self_attn", new Attn()); }
    }

    sealed class Model : Module
    {
        public Model()
        {
            var inner = Register("model", new Inner());
            Register("lm_head", new Linear(4, 10, false));
        }
        sealed class Inner : Module
        {
            public Inner()
            {
                Register("embed_tokens", new Embedding(10, 4));
                Register("layers", new ModuleList<Layer>([new Layer(), new Layer()]));
                Register("norm", new LayerNorm(4));
            }
        }
    }

    [Fact]
    public void NamedParameters_UseHuggingFaceDottedNames()
    {
        var names = new Model().NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(new[]
        {
            "model.embed_tokens.weight",
            "model.layers.0.input_layernorm.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.q_proj.bias",
            "model.layers.0.self_attn.o_proj.weight",
            "model.layers.1.input_layernorm.weight", "model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.q_proj.bias",
            "model.layers.1.self_attn.o_proj.weight",
            "model.norm.weight", "model.norm.bias", "lm_head.weight",
        }, names);
        Assert.Equal(40 + 2 * (4 + 20 + 16) + 8 + 40, new Model().ParameterCount());
    }

    [Fact]
    public void FreezeAndUnfreeze_ToggleRequiresGrad()
    {
        var m = new Model();
        m.Freeze();
        Assert.All(m.NamedParameters(), p => Assert.False(p.Parameter.RequiresGrad));
        m.Unfreeze();
        Assert.All(m.NamedParameters(), p => Assert.True(p.Parameter.RequiresGrad));
    }

    [Fact]
    public void LoadStateDict_CopiesValues_AndReportsMissingUnexpectedAndShapeProblems()
    {
        var src = new Model();
        foreach (var (_, p) in src.NamedParameters()) p.Span.Fill(0.25f);
        var dst = new Model();
        dst.LoadStateDict(src.StateDict());
        Assert.All(dst.NamedParameters(), p => Assert.Equal(0.25f, p.Parameter.Span[0]));

        var bad = src.StateDict();
        bad.Remove("lm_head.weight");
        bad["extra.weight"] = Tensor.Zeros(1);
        bad["model.norm.weight"] = Tensor.Zeros(5);
        var ex = Assert.Throws<ArgumentException>(() => dst.LoadStateDict(bad));
        Assert.Contains("missing 'lm_head.weight'", ex.Message);
        Assert.Contains("unexpected 'extra.weight'", ex.Message);
        Assert.Contains("shape of 'model.norm.weight': file [5], model [4]", ex.Message);

        bad.Remove("model.norm.weight");
        dst.LoadStateDict(bad, strict: false); // missing/unexpected tolerated
    }
}
