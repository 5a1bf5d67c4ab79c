// A tiny Qwen2.5-VL-architecture checkpoint for the synthetic tasks: config.json wired to the trained tokenizer's
// special-token ids, a preprocessor_config.json whose pixel bounds keep the small images at their size, random
// weights (HF-style init), saved as an ordinary Hugging Face directory that `rethinker generate` and transformers open.
using System.Globalization;
using Rethinker.Data.Presets;
using Rethinker.Models.Config;
using Rethinker.Models.Imaging;
using Rethinker.Models.Qwen;
using Rethinker.Models.Tokenization;

namespace Rethinker.Cli.Quickstart;

public static class TinyModelFactory
{
    public static QwenVlConfig Config(QuickstartPlan p, BpeTokenizer tokenizer)
    {
        int Id(string token) => tokenizer.RequireId(token);
        int headDim = p.Hidden / p.Heads, half = headDim / 2, t = half / 4, h = (half - t) / 2, w = half - t - h;
        if (p.MropeSection.Count == 3) (t, h, w) = (p.MropeSection[0], p.MropeSection[1], p.MropeSection[2]);
        string json = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "architectures": ["Qwen2_5_VLForConditionalGeneration"], "model_type": "qwen2_5_vl", "torch_dtype": "float32",
              "hidden_size": {{p.Hidden}}, "intermediate_size": {{p.Intermediate}}, "num_hidden_layers": {{p.Layers}},
              "num_attention_heads": {{p.Heads}}, "num_key_value_heads": {{p.KvHeads}}, "vocab_size": {{tokenizer.VocabSize}},
              "hidden_act": "silu", "rms_norm_eps": 1e-06, "rope_theta": {{p.RopeTheta}}, "max_position_embeddings": 2048,
              "rope_scaling": { "type": "mrope", "rope_type": "default", "mrope_section": [{{t}}, {{h}}, {{w}}] },
              "tie_word_embeddings": true, "initializer_range": 0.02, "use_sliding_window": false, "sliding_window": 2048, "max_window_layers": {{p.Layers}},
              "attention_dropout": 0.0,
              "bos_token_id": {{Id("<|endoftext|>")}}, "eos_token_id": {{Id("<|im_end|>")}}, "pad_token_id": {{Id("<|endoftext|>")}},
              "vision_start_token_id": {{Id("<|vision_start|>")}}, "vision_end_token_id": {{Id("<|vision_end|>")}},
              "vision_token_id": {{Id("<|vision_pad|>")}}, "image_token_id": {{Id("<|image_pad|>")}}, "video_token_id": {{Id("<|video_pad|>")}},
              "vision_config": {
                "model_type": "qwen2_5_vl", "depth": {{p.VisionDepth}}, "hidden_size": {{p.VisionWidth}}, "intermediate_size": {{p.VisionWidth * 2}},
                "num_heads": {{Math.Max(1, p.VisionWidth / 32)}}, "out_hidden_size": {{p.Hidden}}, "patch_size": {{p.PatchSize}}, "spatial_merge_size": 2,
                "temporal_patch_size": 2, "window_size": {{8 * p.PatchSize}}, "fullatt_block_indexes": [{{p.VisionDepth - 1}}], "in_channels": 3,
                "hidden_act": "silu", "tokens_per_second": 2
              }
            }
            """);
        return QwenVlConfig.Parse(json, "tiny preset");
    }

    public static QwenVlModel Create(string directory, QuickstartPlan p, BpeTokenizer tokenizer, ulong seed, ChannelStatistics? stats = null)
    {
        var model = QwenVlModel.CreateRandom(Config(p, tokenizer), seed);
        Directory.CreateDirectory(directory);
        model.Save(directory);
        // The tiny preset's processor (Qwen2.5-VL, like Config above) with min_pixels = max_pixels = side², so every
        // image keeps its size; stats: the training images' own (null: CLIP's, see ChannelStatistics for why not).
        ModelPresets.WritePreprocessor(directory, "tiny", stats, p.ImageSize, p.PatchSize);
        return model;
    }
}
