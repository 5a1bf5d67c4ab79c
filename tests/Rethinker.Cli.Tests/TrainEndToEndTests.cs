// `rethinker train sft` then `train grpo` end to end on a tiny random Qwen2-VL checkpoint written by the test
// (a BPE tokenizer trained on the spot, 2 layers, hidden 24), text-only rows: checks the CLI wiring, metrics,
// checkpoints, --resume and that a GRPO run is reproducible to the bit, not learning quality.
using System.Text.Json.Nodes;
using Rethinker.Cli;
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;
using Rethinker.Models.Tokenization;

namespace Rethinker.Cli.Tests;

[Collection("Console")]
public class TrainEndToEndTests
{
    static string TinyCheckpoint(string dir)
    {
        string[] specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>", "<|video_pad|>"];
        var trainer = new BpeTrainer(new BpeTrainerOptions(320, specials));
        trainer.Feed("system user assistant You are a helpful assistant. What is 2 + 3? <think>2 + 3 = 5</think> \\boxed{5} What is 4 + 1?");
        var tok = trainer.Train();
        tok.Save(dir);
        var config = QwenVlConfig.FromJson(new JsonObject
        {
            ["model_type"] = "qwen2_vl", ["vocab_size"] = tok.VocabSize, ["hidden_size"] = 24, ["intermediate_size"] = 40, ["num_hidden_layers"] = 2,
            ["num_attention_heads"] = 3, ["num_key_value_heads"] = 1, ["rms_norm_eps"] = 1e-6, ["rope_theta"] = 10000.0,
            ["rope_scaling"] = new JsonObject { ["type"] = "mrope", ["mrope_section"] = new JsonArray(1, 2, 1) },
            ["tie_word_embeddings"] = true, ["initializer_range"] = 0.2, ["bos_token_id"] = 0, ["eos_token_id"] = 2,
            ["image_token_id"] = 5, ["video_token_id"] = 6, ["vision_start_token_id"] = 3, ["vision_end_token_id"] = 4, ["vision_token_id"] = 7,
            ["vision_config"] = new JsonObject { ["depth"] = 1, ["embed_dim"] = 24, ["num_heads"] = 3, ["mlp_ratio"] = 2, ["hidden_size"] = 24,
                ["patch_size"] = 14, ["temporal_patch_size"] = 2, ["spatial_merge_size"] = 2, ["in_channels"] = 3, ["hidden_act"] = "quick_gelu" },
        }, "tiny");
        QwenVlModel.CreateRandom(config, 3).Save(dir);
        return dir;
    }

    static string Rows(string dir)
    {
        string path = Path.Combine(dir, "rows.jsonl");
        File.WriteAllLines(path, Enumerable.Range(1, 4).Select(i =>
            new JsonObject
            {
                ["id"] = $"q{i}", ["question"] = $"What is {i} + 1?", ["answer"] = $"{i + 1}", ["images"] = new JsonArray(),
                ["traces"] = new JsonObject { ["think"] = $"<think>{i} + 1 = {i + 1}</think> \\boxed{{{i + 1}}}" },
            }.ToJsonString()));
        return path;
    }

    [Fact]
    public void SftThenGrpo_RunOnATinyCheckpoint_AndResume()
    {
        string root = Path.Combine(Path.GetTempPath(), $"rt-e2e-{Guid.NewGuid():N}");
        string model = TinyCheckpoint(Directory.CreateDirectory(Path.Combine(root, "model")).FullName);
        string rows = Rows(root);

        var sft = TrainGrpoCommandTests.Run("train", "sft", "--set", $"model.path={model}", "--set", $"data.train={rows}", "--set", $"data.eval={rows}",
            "--set", $"run.output_dir={root}/sft", "--set", "run.total_steps=2", "--set", "sft.max_tokens_per_batch=512", "--set", "optim.learning_rate=1e-3");
        Assert.True(sft.Code == 0, sft.Err);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(root, "sft", "metrics.jsonl")).Length);
        string sftModel = Path.Combine(root, "sft", "checkpoints", "step-00000002", "model");
        Assert.True(File.Exists(Path.Combine(sftModel, "config.json")));

        string[] grpo = ["train", "grpo", "--set", $"model.path={sftModel}", "--set", $"data.train={rows}", "--set", $"run.output_dir={root}/grpo",
            "--set", "grpo.rollout_batch_size=2", "--set", "grpo.group_size=2", "--set", "grpo.max_new_tokens=6", "--set", "grpo.mini_batch_size=4",
            "--set", "rethinking.min_continuation_tokens=1", "--set", "rethinking.max_continuation_tokens=4", "--set", "checkpoint.every_steps=1",
            "--set", "optim.learning_rate=1e-3"];
        var g1 = TrainGrpoCommandTests.Run([.. grpo, "--set", "run.total_steps=1"]);
        Assert.True(g1.Code == 0, g1.Err);
        var g2 = TrainGrpoCommandTests.Run([.. grpo, "--set", "run.total_steps=2", "--resume"]);
        Assert.True(g2.Code == 0, g2.Err);
        var lines = File.ReadAllLines(Path.Combine(root, "grpo", "metrics.jsonl"));
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"step\": 2", lines[1]);
        Assert.Contains("reward/accuracy/mean", lines[0]);
        Assert.True(File.Exists(Path.Combine(root, "grpo", "samples", "step-00000002.jsonl")));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Grpo_SameConfigTwice_GivesTheSameMetricsAndWeights()
    {
        // sampling, forced rethinking, replay and the update all draw from seeded streams: two runs of one config must
        // agree to the bit (timings aside), whatever the worker pool decided to run inline or in parallel
        string root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"rt-det-{Guid.NewGuid():N}")).FullName;
        string rows = Rows(root);
        // a short SFT first, so rollouts sometimes earn a reward and the update has something to do
        var sft = TrainGrpoCommandTests.Run("train", "sft", "--set", $"model.path={TinyCheckpoint(Directory.CreateDirectory(Path.Combine(root, "init")).FullName)}",
            "--set", $"data.train={rows}", "--set", $"run.output_dir={root}/sft", "--set", "run.total_steps=40",
            "--set", "sft.max_tokens_per_batch=512", "--set", "optim.learning_rate=1e-2", "--set", "checkpoint.every_steps=40");
        Assert.True(sft.Code == 0, sft.Err);
        string model = Path.Combine(root, "sft", "checkpoints", "step-00000040", "model");
        string RunOnce(string name)
        {
            var r = TrainGrpoCommandTests.Run("train", "grpo", "--set", $"model.path={model}", "--set", $"data.train={rows}",
                "--set", $"run.output_dir={root}/{name}", "--set", "run.total_steps=3", "--set", "run.seed=11",
                "--set", "grpo.rollout_batch_size=2", "--set", "grpo.group_size=4", "--set", "grpo.max_new_tokens=24",
                "--set", "grpo.mini_batch_size=3", "--set", "grpo.micro_batch_size=2", "--set", "replay.mode=ssr",
                "--set", "rethinking.probability=1", "--set", "rethinking.min_continuation_tokens=1", "--set", "rethinking.max_continuation_tokens=4",
                "--set", "checkpoint.every_steps=3", "--set", "optim.learning_rate=1e-2");
            Assert.True(r.Code == 0, r.Err);
            return Path.Combine(root, name);
        }
        static string[] Metrics(string dir) => File.ReadAllLines(Path.Combine(dir, "metrics.jsonl"))
            .Select(line => string.Join(",", JsonNode.Parse(line)!.AsObject()
                .Where(kv => !kv.Key.StartsWith("time/", StringComparison.Ordinal) && !kv.Key.StartsWith("tokens_per_second/", StringComparison.Ordinal))
                .Select(kv => $"{kv.Key}={kv.Value?.ToJsonString()}")))
            .ToArray();
        static byte[] Weights(string dir) => Directory.GetFiles(Path.Combine(dir, "checkpoints", "step-00000003", "model"), "*.safetensors")
            .Order(StringComparer.Ordinal).SelectMany(File.ReadAllBytes).ToArray();

        string a = RunOnce("a"), b = RunOnce("b");
        Assert.Equal(3, Metrics(a).Length);
        Assert.Equal(Metrics(a), Metrics(b));
        Assert.NotEmpty(Weights(a));
        Assert.True(Weights(a).SequenceEqual(Weights(b)), "the two runs' step-3 weights differ");
        Directory.Delete(root, recursive: true);
    }
}
