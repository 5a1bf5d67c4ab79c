// `rethinker model pretrain-vision` end to end on a tiny checkpoint: the vision tower moves, the text decoder does
// not, the output is a complete model directory; a missing dataset is a clear error.
using Rethinker.Cli;
using Rethinker.Models.Qwen;

namespace Rethinker.Cli.Tests;

[Collection("console")]
public class ModelPretrainVisionCommandTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => CliConsole.Run(args);

    [Fact]
    public void PretrainVision_ChangesOnlyTheVisionTower_AndWritesALoadableModel()
    {
        string root = Path.Combine(Path.GetTempPath(), "rethinker-pretrain-vision-" + Guid.NewGuid().ToString("N"));
        string data = Path.Combine(root, "data"), model = Path.Combine(root, "model"), output = Path.Combine(root, "out");
        try
        {
            Assert.Equal(0, Run("data", "synth", "--out", data, "--n", "24", "--heldout", "0", "--seed", "2", "--image-size", "56").Code);
            Assert.Equal(0, Run("model", "init", "--preset", "tiny", "--tokenizer", data, "--vocab-size", "500", "--out", model, "--seed", "1").Code);
            var (code, stdout, err) = Run("model", "pretrain-vision", "--model", model, "--data", Path.Combine(data, "train.jsonl"), "--out", output,
                "--steps", "4", "--batch", "4");
            Assert.True(code == 0, err);
            Assert.Contains("reconstruction error", stdout);
            foreach (var f in new[] { "config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json" })
                Assert.True(File.Exists(Path.Combine(output, f)), f);
            var before = QwenVlModel.Load(model).NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
            foreach (var (name, p) in QwenVlModel.Load(output).NamedParameters())
            {
                bool changed = !p.ToArray().SequenceEqual(before[name]);
                Assert.True(changed == name.StartsWith("visual.", StringComparison.Ordinal), $"{name}: changed = {changed}");
            }

            var missing = Run("model", "pretrain-vision", "--model", model, "--data", Path.Combine(root, "none.jsonl"), "--out", output);
            Assert.Equal(2, missing.Code);
            Assert.Contains("none.jsonl", missing.Err);
        }
        finally { if (Directory.Exists(root)) Directory.Delete(root, true); }
    }
}
