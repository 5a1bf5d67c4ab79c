// `rethinker model pretrain-vision`: the vision-tower pretraining the quickstart runs before SFT (VisionPretrainer:
// every merged image token reconstructs its patches), for any checkpoint whose tower starts from scratch.
// Reads the images of a JSONL dataset; an image that cannot be read is skipped, counted and reported.
using System.CommandLine;
using System.Diagnostics;
using Rethinker.Data.Rows;
using Rethinker.Models.Generation;
using Rethinker.Models.Imaging;
using Rethinker.Models.Qwen;
using Rethinker.Training.Checkpoints;
using Rethinker.Training.Vision;

namespace Rethinker.Cli.Commands;

public sealed class ModelPretrainVisionCommand : ICliCommand
{
    public string? Parent => "model";

    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory whose vision tower to pretrain.", Required = true };
        var data = new Option<string>("--data") { Description = "JSONL rows with images[] (paths relative to the file), e.g. a `data synth` train.jsonl.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Output model directory (weights + the source's tokenizer and processor files).", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => 300 };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 32 };
        var lr = new Option<float>("--lr") { Description = "AdamW learning rate (β2 0.95, no weight decay).", DefaultValueFactory = _ => 1e-3f };
        var limit = new Option<int>("--max-images") { Description = "Read at most this many images (0 = all).", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the image draws and of the throw-away decoder.", DefaultValueFactory = _ => 1 };
        var cmd = new Command("pretrain-vision",
            "Pretrain a from-scratch vision tower: each merged image token learns to reconstruct its patches (the text decoder is untouched). "
            + "Run it before SFT when the tower has no pretrained weights.\n\nExample:\n"
            + "  rethinker model pretrain-vision --model models/tiny --data data/train.jsonl --out models/tiny-vision");
        foreach (var o in new Option[] { model, data, outDir, steps, batch, lr, limit, seed }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            string modelDir = p.GetValue(model)!, dataPath = p.GetValue(data)!, dir = p.GetValue(outDir)!;
            var options = new VisionPretrainOptions { Steps = p.GetValue(steps), ImagesPerBatch = p.GetValue(batch), LearningRate = p.GetValue(lr), Seed = p.GetValue(seed) };
            List<RgbImage> images;
            EmbeddedPolicy policy;
            try
            {
                options.Validate();
                if (!File.Exists(dataPath)) throw new FileNotFoundException($"--data {dataPath}: no such file");
                images = ReadImages(dataPath, p.GetValue(limit), out int skipped);
                if (skipped > 0) Console.Error.WriteLine($"warning: {skipped} image(s) could not be read and were skipped");
                if (images.Count == 0) throw new InvalidDataException($"--data {dataPath}: no readable image in its rows");
                policy = PolicyLoader.Load(modelDir);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            var sw = Stopwatch.StartNew();
            int every = Math.Max(1, options.Steps / 10);
            var result = VisionPretrainer.Run(policy.Model, policy.PreprocessImages, images, options,
                (step, loss) => { if (step % every == 0 || step == options.Steps) Console.WriteLine($"[vision {step,5}] reconstruction {loss:0.0000}"); });
            ModelExport.Write(policy, dir, modelDir);
            Console.WriteLine($"reconstruction error {result.First:0.000} → {result.Final:0.000} on {images.Count} images in {sw.Elapsed.TotalSeconds:0.0} s; wrote {Path.GetFullPath(dir)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static List<RgbImage> ReadImages(string dataPath, int limit, out int skipped)
    {
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(dataPath))!;
        var images = new List<RgbImage>();
        skipped = 0;
        foreach (var row in JsonlDatasetReader.Read(dataPath).Rows)
            foreach (var rel in row.Images)
            {
                if (limit > 0 && images.Count >= limit) return images;
                try { images.Add(ImageLoader.Load(Path.Combine(baseDir, rel))); }
                catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException) { skipped++; }
            }
        return images;
    }
}
