// End-to-end training of a tiny model of each family: AdamW on the masked next-token loss lowers it, and
// both towers' parameters move (gradients flow through the image rows into the vision tower).
using Rethinker.Models.Qwen;
using Rethinker.Tensors;
using Rethinker.Tensors.Optim;

namespace Rethinker.Models.Tests.Qwen;

public sealed class TrainingTests
{
    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("qwen2_5_vl")]
    public void AdamW_LowersTheLossAndUpdatesBothTowers(string arch)
    {
        var c = TinyModels.Config(arch, tied: arch == "qwen2_5_vl");
        var model = QwenVlModel.CreateRandom(c, 21);
        var (inputs, labels) = TinyModels.Batch(c, 9);
        var visionBefore = model.Visual.NamedParameters().First().Parameter.ToArray();
        var opt = new AdamW(model.NamedParameters(), new AdamWOptions(WeightDecay: 0f));
        float first = 0, last = 0;
        for (int step = 0; step < 30; step++)
        {
            opt.ZeroGrad();
            var (loss, _) = model.ForwardWithLoss(inputs, labels);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            opt.Step(1e-2f);
        }
        Assert.True(last < 0.5f * first, $"loss {first} → {last}");
        Assert.NotEqual(visionBefore, model.Visual.NamedParameters().First().Parameter.ToArray());
    }
}
