// Whole-model gradient check: the loss of a tiny random model of each family (images through the vision tower,
// packed sequences, labels with ignored positions) differentiated by autograd vs central finite differences,
// for sampled elements of every kind of parameter (names with layer numbers removed).
using System.Text.RegularExpressions;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;

namespace Rethinker.Models.Tests.Qwen;

public sealed class GradientCheckTests
{
    [Theory]
    [InlineData("qwen2_vl", false)]
    [InlineData("qwen2_5_vl", true)]
    public void Loss_GradientsMatchFiniteDifferences(string arch, bool tied)
    {
        var config = TinyModels.Config(arch, tied);
        var model = QwenVlModel.CreateRandom(config, 11);
        var (inputs, labels) = TinyModels.Batch(config, 5);

        var (loss, _) = model.ForwardWithLoss(inputs, labels);
        loss.Backward();
        var grads = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray());

        float Loss()
        {
            using var _ = Autograd.NoGrad();
            return model.ForwardWithLoss(inputs, labels).Loss.Item();
        }

        var rng = new Random(7);
        var kinds = model.NamedParameters().GroupBy(p => Regex.Replace(p.Name, @"\.\d+\.", ".N.")).ToList();
        Assert.True(kinds.Count >= (arch == "qwen2_vl" ? 24 : 25), $"only {kinds.Count} parameter kinds");
        int checkedCount = 0;
        var failures = new List<string>();
        foreach (var kind in kinds)
        {
            var (name, p) = kind.ElementAt(rng.Next(kind.Count()));
            for (int s = 0; s < 2; s++)
            {
                int i = rng.Next(p.Length);
                const float eps = 1e-2f;
                float old = p.Span[i];
                p.Span[i] = old + eps; float up = Loss();
                p.Span[i] = old - eps; float down = Loss();
                p.Span[i] = old;
                float fd = (up - down) / (2 * eps);
                float an = grads[name][i];
                if (Math.Abs(fd - an) > 2e-3f + 0.05f * Math.Abs(an)) failures.Add($"{name}[{i}]: autograd {an:G5}, finite difference {fd:G5}");
                checkedCount++;
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedCount >= 48);
        // the vision tower really receives gradient through the image rows
        Assert.Contains(grads, kv => kv.Key.StartsWith("visual.patch_embed", StringComparison.Ordinal) && kv.Value.Any(g => g != 0));
    }
}
