// Approval of the parameter names and shapes for the published Qwen2-VL / Qwen2.5-VL configs, built as meta
// models (nothing allocated), against the lists transformers 4.50 defines (TestData/hf-configs).
using System.Text.Json.Nodes;
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;

namespace Rethinker.Models.Tests.Qwen;

public sealed class ParameterListApprovalTests
{
    [Theory]
    [InlineData("Qwen2-VL-2B-Instruct")]
    [InlineData("Qwen2-VL-7B-Instruct")]
    [InlineData("Qwen2.5-VL-3B-Instruct")]
    [InlineData("Qwen2.5-VL-7B-Instruct")]
    [InlineData("Qwen2.5-VL-72B-Instruct")]
    public void MetaModel_NamesAndShapesEqualTransformers(string folder)
    {
        var config = QwenVlConfig.Load(TestFiles.Data("hf-configs", folder, "config.json"));
        var reference = JsonNode.Parse(File.ReadAllText(TestFiles.Data("hf-configs", folder, "parameters.json")))!;
        var expected = reference["names_shapes"]!.AsArray()
            .Select(x => $"{(string)x![0]!} [{string.Join(", ", x[1]!.AsArray().Select(d => (int)d!))}]").ToArray();

        var model = QwenVlModel.CreateMeta(config);
        Assert.True(model.IsMeta);
        var actual = model.ParameterShapes().Select(p => $"{p.Name} [{string.Join(", ", p.Shape)}]").ToArray();
        Assert.Equal(expected, actual);

        long Count(string prefix) => model.ParameterShapes().Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(p => p.Shape.Aggregate(1L, (a, d) => a * d));
        var totals = reference["totals"]!;
        Assert.Equal((long)totals["visual"]!, Count("visual."));
        Assert.Equal((long)totals["model"]!, Count("model."));
        Assert.Equal((long)totals["lm_head"]!, Count("lm_head."));
        Assert.Equal((long)totals["total"]!, ModelSizes.Of(model).Total);
    }

    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("qwen2_5_vl")]
    public void MetaAndRealModels_ListTheSameParameters(string arch)
    {
        var config = QwenVlConfig.Load(Path.Combine(TestFiles.ModelDir(arch), "config.json"));
        var meta = QwenVlModel.CreateMeta(config).ParameterShapes().Select(p => (p.Name, string.Join(",", p.Shape)));
        var real = QwenVlModel.CreateRandom(config, 1).NamedParameters().Select(p => (p.Name, string.Join(",", p.Parameter.Shape)));
        Assert.Equal(meta, real);
    }

    [Fact]
    public void MetaModel_RefusesToRun()
    {
        var config = QwenVlConfig.Load(Path.Combine(TestFiles.ModelDir("qwen2_vl"), "config.json"));
        var model = QwenVlModel.CreateMeta(config);
        Assert.Throws<InvalidOperationException>(() => model.Forward(QwenVlInputs.Single([1, 2, 3])));
    }
}
