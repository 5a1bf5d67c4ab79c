// `rethinker model forward`: the parity tool for ported checkpoints. Runs a Qwen-VL model directory on a case
// file in the format of the HF fixtures (input_ids, pixel_values + image_grid_thw) and writes logits,
// position ids, rope deltas, image embeddings and optionally greedy tokens, so they can be compared with
// transformers' numbers. Raw images (image0_rgb, …) go through the directory's preprocessor_config.json.
using System.CommandLine;
using Rethinker.Models.Imaging;
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;
using Rethinker.Tensors;

namespace Rethinker.Cli.Commands;

public sealed class ModelForwardCommand : ICliCommand
{
    public string? Parent => "model";

    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model directory: config.json + model.safetensors (or shards + index).", Required = true };
        var caseFile = new Option<string>("--case") { Description = "Case .safetensors: input_ids [1, S] and either pixel_values + image_grid_thw or image0_rgb, image1_rgb, … (uint8 H×W×3).", Required = true };
        var output = new Option<string>("--out") { Description = "Output .safetensors: logits [1, S, V], position_ids [3, 1, S], rope_deltas [1, 1], image_embeds, generated_ids [1, N].", Required = true };
        var pixel = new Option<bool>("--pixel-values") { Description = "Use the case's pixel_values + image_grid_thw instead of running the raw images through the image processor." };
        var generate = new Option<int>("--generate") { Description = "Also decode N tokens greedily (full recompute per step; EOS does not stop it)." };
        var suppress = new Option<string?>("--suppress-tokens") { Description = "Token ids never generated: A-B ranges and single ids, comma separated (e.g. 280-299)." };
        var cmd = new Command("forward", "Run a Qwen2-VL / Qwen2.5-VL checkpoint on a case file and write its outputs (parity with transformers).\n\n" +
            "Example:\n  rethinker model forward --model ckpt/qwen2_vl --case two_images.safetensors --out ours.safetensors --pixel-values --generate 8 --suppress-tokens 280-299");
        foreach (var o in new Option[] { model, caseFile, output, pixel, generate, suppress }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            try
            {
                return Run(parse.GetValue(model)!, parse.GetValue(caseFile)!, parse.GetValue(output)!, parse.GetValue(pixel),
                    parse.GetValue(generate), parse.GetValue(suppress));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or KeyNotFoundException or UnauthorizedAccessException or NotSupportedException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    public static int Run(string modelDir, string casePath, string outPath, bool pixelValues, int generate, string? suppressSpec)
    {
        if (generate < 0) throw new ArgumentException($"--generate must be >= 0, got {generate}");
        int[] suppress = suppressSpec is null ? [] : GreedyReference.ParseTokenRanges(suppressSpec);
        if (!File.Exists(casePath)) throw new FileNotFoundException($"case file {casePath} does not exist");
        var qwen = QwenVlModel.Load(modelDir);
        using var c = SafeTensorsFile.Open(casePath);
        if (!c.Contains("input_ids")) throw new InvalidDataException($"{casePath}: no 'input_ids' tensor");
        var idsEntry = c.Entry("input_ids");
        if (!(idsEntry.Shape.Length == 1 || idsEntry.Shape is [1, _]))
            throw new InvalidDataException($"{casePath}: 'input_ids' must be [1, S] (one sequence), got [{string.Join(", ", idsEntry.Shape)}]");
        int[] ids = c.ReadInt32("input_ids");
        var (pv, grids) = pixelValues ? PixelInputs(c, casePath) : RawImages(c, casePath, modelDir);
        var inputs = QwenVlInputs.Single(ids, pv, grids);

        QwenVlOutput o;
        using (Autograd.NoGrad()) o = qwen.Forward(inputs);
        int S = ids.Length, V = qwen.Config.VocabSize;
        var writes = new List<SafeTensorWrite>
        {
            SafeTensorWrite.Float("logits", [1, S, V], o.Logits.ToArray()),
            SafeTensorWrite.Int64("position_ids", [3, 1, S], o.PositionIds.Select(x => (long)x).ToArray()),
            SafeTensorWrite.Int64("rope_deltas", [1, 1], [o.RopeDeltas[0]]),
            SafeTensorWrite.Int64("input_ids", [1, S], ids.Select(x => (long)x).ToArray()),
        };
        if (o.ImageEmbeds is { } emb)
        {
            writes.Add(SafeTensorWrite.Float("image_embeds", emb.Shape, emb.ToArray()));
            writes.Add(SafeTensorWrite.Int64("image_grid_thw", [grids.Count, 3], grids.SelectMany(g => new long[] { g.T, g.H, g.W }).ToArray()));
        }
        if (generate > 0)
        {
            var g = GreedyReference.Generate(qwen, inputs, generate, suppress);
            writes.Add(SafeTensorWrite.Int64("generated_ids", [1, generate], g.Tokens.Select(x => (long)x).ToArray()));
            writes.Add(SafeTensorWrite.Float("generate_step_logits", [1, generate, V], g.StepLogits));
        }
        SafeTensorsWriter.Write(outPath, writes, new Dictionary<string, string> { ["producer"] = "rethinker model forward" });
        Console.Error.WriteLine($"{qwen.Config.ModelType}: {S} tokens, {grids.Count} image(s){(generate > 0 ? $", {generate} generated" : "")} → {outPath}");
        return ExitCodes.Ok;
    }

    static (Tensor? PixelValues, IReadOnlyList<GridThw> Grids) PixelInputs(SafeTensorsFile c, string path)
    {
        bool hasPv = c.Contains("pixel_values"), hasGrid = c.Contains("image_grid_thw");
        if (hasPv != hasGrid) throw new InvalidDataException($"{path}: 'pixel_values' and 'image_grid_thw' must come together");
        if (!hasPv) return (null, []);
        var e = c.Entry("pixel_values");
        if (e.Shape.Length != 2) throw new InvalidDataException($"{path}: 'pixel_values' must be [patches, patch_dim], got [{string.Join(", ", e.Shape)}]");
        return (Tensor.FromArray(c.ReadSingle("pixel_values"), e.Shape), GridThw.FromTable(c.ReadInt64("image_grid_thw")));
    }

    /// <summary>Raw images image0_rgb, image1_rgb, … (uint8 [H, W, 3]) through the model directory's image processor.</summary>
    static (Tensor? PixelValues, IReadOnlyList<GridThw> Grids) RawImages(SafeTensorsFile c, string path, string modelDir)
    {
        var images = new List<RgbImage>();
        for (int k = 0; c.Contains($"image{k}_rgb"); k++)
        {
            string name = $"image{k}_rgb";
            var e = c.Entry(name);
            if (e.DType != SafeTensorDType.U8 || e.Shape is not [> 0, > 0, 3])
                throw new InvalidDataException($"{path}: '{name}' must be uint8 [H, W, 3], got {e.DType.ToHeaderString()} [{string.Join(", ", e.Shape)}]");
            images.Add(RgbImage.Create(e.Shape[1], e.Shape[0], c.ReadBytes(name)));
        }
        if (images.Count == 0)
        {
            if (c.Contains("pixel_values")) throw new InvalidDataException($"{path}: the case has pixel_values but no image0_rgb; run with --pixel-values");
            return (null, []);
        }
        var (pv, grids) = QwenVlImageInputs.FromImages(QwenVlImageInputs.ProcessorOf(modelDir), images);
        return (pv, grids);
    }
}
