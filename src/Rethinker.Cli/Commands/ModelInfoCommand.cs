// `rethinker model info`: what a Qwen-VL model directory holds, without loading weights: architecture and
// sizes from config.json, parameters per tower from a meta (shape-only) model, the checkpoint's dtypes and
// bytes from the safetensors headers, and memory estimates for inference and for AdamW training in float32.
using System.CommandLine;
using System.Text.Json;
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;

namespace Rethinker.Cli.Commands;

public sealed class ModelInfoCommand : ICliCommand
{
    public string? Parent => "model";

    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model directory with config.json (weights optional: info reads only their headers).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var cmd = new Command("info", "Describe a Qwen2-VL / Qwen2.5-VL model directory: architecture, parameters per tower, dtypes, memory estimate.\n\n" +
            "Example:\n  rethinker model info --model models/Qwen2.5-VL-7B-Instruct");
        cmd.Options.Add(model);
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            try
            {
                var info = Describe(parse.GetValue(model)!);
                Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }) : Format(info));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    public sealed record Info(string Directory, string ModelType, string Architecture, int TextHidden, int TextLayers, int Heads, int KvHeads,
        int Intermediate, int Vocab, bool TiedEmbeddings, int VisionWidth, int VisionDepth, int VisionHeads, int VisionMlp, int WindowSize,
        int[] FullAttBlocks, long VisualParams, long TextParams, long LmHeadParams, long TotalParams,
        Dictionary<string, long> CheckpointTensorsByDType, long CheckpointBytes, int CheckpointFiles,
        long WeightsF32Bytes, long TrainingF32Bytes);

    public static Info Describe(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: model directory not found");
        var c = QwenVlConfig.Load(Path.Combine(dir, "config.json"));
        var sizes = ModelSizes.Of(QwenVlModel.CreateMeta(c));
        var byDtype = new Dictionary<string, long>();
        long bytes = 0;
        int files = 0;
        bool hasWeights = File.Exists(Path.Combine(dir, SafeTensorsCheckpoint.SingleFileName)) || File.Exists(Path.Combine(dir, SafeTensorsCheckpoint.IndexFileName));
        if (hasWeights)
        {
            using var ck = SafeTensorsCheckpoint.Open(dir);
            files = ck.Files.Count;
            foreach (var name in ck.Names)
            {
                var e = ck.Entry(name);
                string k = e.DType.ToHeaderString();
                byDtype[k] = byDtype.GetValueOrDefault(k) + 1;
                bytes += e.End - e.Begin;
            }
        }
        return new Info(Path.GetFullPath(dir), c.ModelType, c.Architecture == QwenVlArchitecture.Qwen2VL ? "Qwen2VLForConditionalGeneration" : "Qwen2_5_VLForConditionalGeneration",
            c.HiddenSize, c.NumLayers, c.NumHeads, c.NumKvHeads, c.IntermediateSize, c.VocabSize, c.TieWordEmbeddings,
            c.Vision.Width, c.Vision.Depth, c.Vision.NumHeads, c.Vision.MlpHidden, c.Vision.WindowSize, c.Vision.FullAttBlockIndexes,
            sizes.Visual, sizes.Text, sizes.LmHead, sizes.Total, byDtype, bytes, files,
            // float32 weights; training adds a gradient and AdamW's two moments per parameter (4 × 4 bytes)
            sizes.Total * 4, sizes.Total * 16);
    }

    static string Format(Info i)
    {
        static string N(long n) => n >= 1_000_000_000 ? $"{n / 1e9:0.###} B" : n >= 1_000_000 ? $"{n / 1e6:0.###} M" : $"{n:N0}";
        static string B(long b) => b >= 1L << 30 ? $"{b / (double)(1L << 30):0.##} GiB" : $"{b / (double)(1L << 20):0.##} MiB";
        var lines = new List<string>
        {
            $"{i.Directory}",
            $"  architecture   {i.Architecture} (model_type {i.ModelType})",
            $"  text           hidden {i.TextHidden}, {i.TextLayers} layers, {i.Heads} heads / {i.KvHeads} KV heads, MLP {i.Intermediate}, vocab {i.Vocab}, {(i.TiedEmbeddings ? "tied" : "separate")} lm_head",
            $"  vision         width {i.VisionWidth}, depth {i.VisionDepth}, {i.VisionHeads} heads, MLP {i.VisionMlp}" +
                (i.WindowSize > 0 ? $", window {i.WindowSize} px, full attention at [{string.Join(", ", i.FullAttBlocks)}]" : ""),
            $"  parameters     visual {N(i.VisualParams)} ({i.VisualParams:N0}), text {N(i.TextParams)} ({i.TextParams:N0}), lm_head {N(i.LmHeadParams)} ({i.LmHeadParams:N0}), total {N(i.TotalParams)} ({i.TotalParams:N0})",
            i.CheckpointFiles == 0 ? "  checkpoint     no safetensors weights in the directory"
                : $"  checkpoint     {i.CheckpointFiles} file(s), {B(i.CheckpointBytes)}, tensors by dtype: {string.Join(", ", i.CheckpointTensorsByDType.Select(kv => $"{kv.Key} {kv.Value}"))}",
            $"  memory (f32)   weights {B(i.WeightsF32Bytes)}; AdamW training (weights + grads + 2 moments) {B(i.TrainingF32Bytes)} plus activations",
        };
        return string.Join('\n', lines);
    }
}
