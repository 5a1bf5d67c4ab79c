// The sizes of a quickstart run. `Full` is sized for ≤ 15 minutes on two cores; `Fast` (--fast) for an end-to-end
// check in CI in ≤ 3 minutes (too small to learn much: it proves the pipeline, not the method).
namespace Rethinker.Cli.Quickstart;

public sealed record QuickstartPlan
{
    public required string Name { get; init; }
    // data
    public int TrainExamples { get; init; }
    public int HeldOutExamples { get; init; }
    public int ImageSize { get; init; } = 112;
    public IReadOnlyList<string> Tasks { get; init; } = ["counting", "arithmetic", "bar_chart", "geometry", "spatial"];
    public IReadOnlyList<int> Difficulties { get; init; } = [1, 2];
    public long Seed { get; init; } = 7;
    /// <summary>The blind baseline: train and evaluate on the questions with their images removed (no vision
    /// pretraining), to show how much of the accuracy needs the images.</summary>
    public bool Blind { get; init; }
    // tokenizer + model (Qwen2.5-VL architecture)
    public int VocabSize { get; init; } = 768;
    public int Hidden { get; init; } = 128;
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 2;
    public int Intermediate { get; init; } = 384;
    /// <summary>RoPE base of the text model (config rope_theta).</summary>
    public float RopeTheta { get; init; } = 10000f;
    /// <summary>M-RoPE split of the rotary frequencies into (temporal, height, width); empty: a quarter temporal,
    /// the rest halved. Hugging Face gives width the lowest frequencies: with a 32-wide head and θ = 10⁴, adjacent
    /// image columns differ by under 0.004 rad there, so these two knobs decide whether the decoder can tell columns apart.</summary>
    public IReadOnlyList<int> MropeSection { get; init; } = [];
    public int VisionWidth { get; init; } = 128;
    /// <summary>Vision patch side in pixels (Qwen: 14). Merged tokens cover 2×2 patches.</summary>
    public int PatchSize { get; init; } = 14;
    public int VisionDepth { get; init; } = 2;
    /// <summary>Steps of vision-tower pretraining before SFT (VisionPretrainer: each image token reconstructs its
    /// patches); 0 skips it. Batches of 32 images.</summary>
    public int VisionPretrainSteps { get; init; } = 300;
    // SFT
    public int SftSteps { get; init; }
    public int SftTokensPerBatch { get; init; } = 4096;
    public float SftLearningRate { get; init; } = 1e-3f;
    /// <summary>LR multiplier of the vision tower and merger in SFT and GRPO (optim.vision_lr_scale). 0: the pretrained
    /// tower stays as vision pretraining left it (measured: 1,200-step SFT at 3e-3 × 3 left operands unread; a frozen
    /// pretrained tower and 3,000 steps read them).</summary>
    public float VisionLrScale { get; init; } = 0f;
    /// <summary>Weight decay of the vision tower during SFT (optim.vision_weight_decay); negative: the model's 0.01.
    /// A counter-force to the drift of a tower trained at a high rate; not needed when it is frozen.</summary>
    public float VisionWeightDecay { get; init; } = -1f;
    // evaluation
    public int EvalMaxNewTokens { get; init; } = 160;
    // GRPO
    public int GrpoSteps { get; init; }
    public int RolloutPrompts { get; init; } = 16;
    public int GroupSize { get; init; } = 8;
    public int GrpoMaxNewTokens { get; init; } = 160;
    /// <summary>Measured from one SFT model (seed 1, held-out 0.438), 30 steps: 2e-4 with the tower trained → 0.266,
    /// 2e-4 tower frozen → 0.378, 5e-5 frozen → 0.426, 2e-5 → 0.426: the largest rate that does not erode SFT.</summary>
    public float GrpoLearningRate { get; init; } = 5e-5f;
    public int MiniBatch { get; init; } = 64;

    public static QuickstartPlan Full { get; } = new()
    {
        Name = "full", TrainExamples = 30000, HeldOutExamples = 500, SftSteps = 3000, GrpoSteps = 30,
    };

    public static QuickstartPlan Fast { get; } = new()
    {
        Name = "fast", ImageSize = 56, SftLearningRate = 3e-3f, TrainExamples = 300, HeldOutExamples = 40, VocabSize = 512, Hidden = 64, Layers = 2, Intermediate = 192,
        VisionWidth = 32, VisionDepth = 1, VisionLrScale = 1f, VisionPretrainSteps = 10, SftSteps = 40, SftTokensPerBatch = 2048, EvalMaxNewTokens = 96,
        GrpoSteps = 3, RolloutPrompts = 6, GroupSize = 4, GrpoMaxNewTokens = 96, MiniBatch = 24,
    };

    /// <summary>Rejects a plan (usually after --set) that would fail deep inside a phase, naming the setting.</summary>
    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new ArgumentException("quickstart plan: " + message); }
        Require(TrainExamples > 0 && HeldOutExamples > 0, "train_examples and held_out_examples must be positive");
        Require(PatchSize is >= 2 and <= 28, $"patch_size {PatchSize} must be in [2, 28]");
        Require(ImageSize >= 56 && ImageSize <= 224 && ImageSize % (2 * PatchSize) == 0, $"image_size {ImageSize} must be a multiple of {2 * PatchSize} (patch × merge) in [56, 224]");
        Require(Heads > 0 && KvHeads > 0 && Heads % KvHeads == 0, $"heads {Heads} must be a positive multiple of kv_heads {KvHeads}");
        Require(Hidden > 0 && Hidden % Heads == 0 && Hidden / Heads % 8 == 0, $"hidden {Hidden} must split into {Heads} heads of a multiple of 8");
        Require(VisionWidth >= 32 && VisionWidth % 32 == 0, $"vision_width {VisionWidth} must be a positive multiple of 32 (heads of 32)");
        Require(Layers > 0 && VisionDepth > 0 && Intermediate > 0, "layers, vision_depth and intermediate must be positive");
        Require(RopeTheta > 1, $"rope_theta {RopeTheta} must be > 1");
        Require(MropeSection.Count is 0 or 3 && MropeSection.All(v => v >= 0) && (MropeSection.Count == 0 || MropeSection.Sum() * 2 * Heads == Hidden),
            $"mrope_section [{string.Join(", ", MropeSection)}] must be empty or 3 sizes ≥ 0 summing to head_dim/2 = {Hidden / Math.Max(1, Heads) / 2}");
        Require(VisionLrScale >= 0, "vision_lr_scale must be ≥ 0");
        Require(SftSteps > 0 && GrpoSteps >= 0, "sft_steps must be positive and grpo_steps ≥ 0");
        Require(VisionPretrainSteps >= 0, "vision_pretrain_steps must be ≥ 0");
        Require(VocabSize >= 300, $"vocab_size {VocabSize} must leave room for 256 bytes and the special tokens");
        Require(RolloutPrompts > 0 && GroupSize > 1 && MiniBatch > 0, "rollout_prompts, mini_batch must be positive and group_size ≥ 2");
    }
}
