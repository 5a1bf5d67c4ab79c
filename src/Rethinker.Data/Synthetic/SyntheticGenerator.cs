// The synthetic visual-reasoning dataset: seeded examples from the task families, each with a rendered
// PNG, a gold answer, traces in every trainer format and the scene description. Train and held-out splits
// come from separate RNG streams of one seed; a content hash (question + pixels) keeps any example out of
// train that already appears in held-out (or earlier in train). Examples are made in parallel, but each
// from its own (seed, split, index) stream and accepted in index order, so the output never depends on threads.
using System.Security.Cryptography;
using System.Text;
using Rethinker.Data.Rows;
using Rethinker.Data.Synthetic.Drawing;
using Rethinker.Data.Synthetic.Tasks;
using Rethinker.Data.Synthetic.Traces;
using Rethinker.Models.Imaging;

namespace Rethinker.Data.Synthetic;

/// <summary>One generated example: the row (image path filled in when written), its pixels, PNG bytes and content hash.</summary>
public sealed record SyntheticExample(DatasetRow Row, Canvas Image, byte[] Png, string ContentHash);

public sealed record SynthSummary(string OutDir, int Train, int HeldOut, int DuplicatesSkipped, IReadOnlyDictionary<string, int> PerTask, BlindBaselineResult Blind);

public static class SyntheticGenerator
{
    public const int TrainSplit = 0, HeldOutSplit = 1;
    public const string Source = "rethinker-synthetic";

    public static readonly IReadOnlyList<ITaskFamily> Families = [new CountingTask(), new ArithmeticTask(), new BarChartTask(), new GeometryTask(), new SpatialTask()];

    public static ITaskFamily Family(string name) => Families.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"unknown task '{name}'; known: {string.Join(", ", Families.Select(f => f.Name))}");

    /// <summary>The example at <paramref name="index"/> of a split's stream (before de-duplication), id not yet assigned.</summary>
    /// <param name="encodePng">False leaves <see cref="SyntheticExample.Png"/> empty (for measuring generation alone).</param>
    public static SyntheticExample Make(SynthOptions o, int split, long index, bool encodePng = true)
    {
        var rng = SynthRng.ForExample(o.Seed, split, index);
        var family = Family(o.Tasks[rng.Next(o.Tasks.Count)]);
        int difficulty = o.Difficulties[rng.Next(o.Difficulties.Count)];
        var draft = family.Generate(rng, difficulty, o.ImageSize);

        string? letter = null; List<string>? choices = null;
        if (rng.Chance(o.ChoiceShare))
        {
            choices = draft.Kind == AnswerKind.YesNo ? ["yes", "no"] : [draft.Value, .. draft.Distractors.Take(3)];
            if (draft.Kind != AnswerKind.YesNo) rng.Shuffle(choices);
            letter = TraceFormatter.LetterOf(choices, draft.Value);
        }
        double u = rng.NextDouble();
        var mode = u < o.SelfCheckShare ? RethinkMode.SelfCheck : u < o.SelfCheckShare + o.SelfCorrectShare ? RethinkMode.SelfCorrect : RethinkMode.None;
        var traces = TraceFormatter.Format(draft.Reasoning, draft.Value, choices, mode, rng);

        string question = $"{DatasetRow.ImagePlaceholder}\n{draft.Question}";
        if (choices is not null)
            question += "\nChoices:\n" + string.Join("\n", choices.Select((c, i) => $"({(char)('A' + i)}) {c}")) + "\nAnswer with the option letter.";
        var row = new DatasetRow
        {
            Id = "", Question = question, Answer = letter ?? draft.Value, Images = [], Choices = choices,
            Category = family.Category, Source = Source, Task = family.Name, Difficulty = difficulty,
            AnswerType = choices is not null ? "choice" : draft.Kind switch { AnswerKind.Number => "number", AnswerKind.YesNo => "yes_no", _ => "text" },
            Traces = traces, KeySteps = draft.Reasoning.KeySteps, Rethink = TraceFormatter.ModeName(mode), Scene = draft.Scene,
        };
        return new SyntheticExample(row, draft.Image, encodePng ? draft.Image.EncodePng() : [], ContentHash(draft.Question, draft.Image));
    }

    /// <summary>SHA-256 of the question (without options) and the pixels: two examples asking the same thing of the same image collide.</summary>
    public static string ContentHash(string question, Canvas image)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(question));
        sha.AppendData([0, (byte)(image.Width >> 8), (byte)image.Width, (byte)(image.Height >> 8), (byte)image.Height]);
        sha.AppendData(image.Pixels);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// <paramref name="count"/> distinct examples of one split, ids "{name}-000000"…, image paths "images/{name}/{id}.png".
    /// Hashes in <paramref name="seen"/> are skipped, and accepted hashes are added to it.
    /// </summary>
    public static List<SyntheticExample> Split(SynthOptions o, int split, string name, int count, HashSet<string> seen, out int duplicates)
    {
        var accepted = new List<SyntheticExample>(count);
        duplicates = 0;
        long next = 0, budget = 20L * count + 1000;
        int threads = o.Threads > 0 ? o.Threads : Environment.ProcessorCount;
        while (accepted.Count < count)
        {
            if (next >= budget)
                throw new InvalidOperationException($"could not draw {count} distinct {name} examples in {budget} tries ({accepted.Count} found); widen --tasks or --difficulty");
            int batch = (int)Math.Min(budget - next, Math.Max(64, (count - accepted.Count) * 11 / 10));
            var made = new SyntheticExample[batch];
            long start = next;
            Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => made[i] = Make(o, split, start + i));
            next += batch;
            foreach (var ex in made)
            {
                if (accepted.Count == count) break;
                if (!seen.Add(ex.ContentHash)) { duplicates++; continue; }
                string id = $"{name}-{accepted.Count:D6}";
                accepted.Add(ex with { Row = ex.Row with { Id = id, Images = [$"images/{name}/{id}.png"] } });
            }
        }
        return accepted;
    }

    /// <summary>Writes DIR/train.jsonl, DIR/heldout.jsonl, DIR/images/{train,heldout}/*.png, DIR/corpus.jsonl (tokenizer text) and
    /// DIR/manifest.json (options, counts, and the training images' image_mean / image_std: <see cref="SynthImageStatistics"/>).</summary>
    public static SynthSummary Generate(string outDir, SynthOptions o)
    {
        o.Validate();
        Directory.CreateDirectory(outDir);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Held-out first: its examples are fixed by the seed alone, whatever the training count.
        var heldOut = Split(o, HeldOutSplit, "heldout", o.HeldOut, seen, out int dupH);
        var train = Split(o, TrainSplit, "train", o.Count, seen, out int dupT);
        int threads = o.Threads > 0 ? o.Threads : Environment.ProcessorCount;
        foreach (var (name, rows) in new[] { ("heldout", heldOut), ("train", train) })
        {
            Directory.CreateDirectory(Path.Combine(outDir, "images", name));
            Parallel.ForEach(rows, new ParallelOptions { MaxDegreeOfParallelism = threads }, ex => File.WriteAllBytes(Path.Combine(outDir, ex.Row.Images[0]), ex.Png));
            JsonlDatasetWriter.Write(Path.Combine(outDir, $"{name}.jsonl"), rows.Select(r => r.Row));
        }
        WriteCorpus(Path.Combine(outDir, "corpus.jsonl"), train);
        var perTask = train.Concat(heldOut).GroupBy(e => e.Row.Task!).ToDictionary(g => g.Key, g => g.Count());
        var blind = BlindBaseline.Evaluate(train.Select(e => e.Row).ToList(), heldOut.Select(e => e.Row).ToList());
        var summary = new SynthSummary(outDir, train.Count, heldOut.Count, dupH + dupT, perTask, blind);
        WriteManifest(Path.Combine(outDir, "manifest.json"), o, summary, train, heldOut);
        return summary;
    }

    /// <summary>Tokenizer training text (one {"text": …} row per question and per trace), from the training split only.</summary>
    static void WriteCorpus(string path, List<SyntheticExample> train)
    {
        using var stream = File.Create(path);
        var options = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var ex in train)
        {
            var t = ex.Row.Traces!;
            foreach (var text in new[] { ex.Row.Question, t.Cot, t.Think, t.LlavaCot, t.R1Vl })
            {
                if (text is null) continue;
                using (var w = new System.Text.Json.Utf8JsonWriter(stream, options)) { w.WriteStartObject(); w.WriteString("text", text); w.WriteEndObject(); }
                stream.WriteByte((byte)'\n');
            }
        }
    }

    static void WriteManifest(string path, SynthOptions o, SynthSummary s, List<SyntheticExample> train, List<SyntheticExample> heldOut)
    {
        object Counts(List<SyntheticExample> xs) => xs.GroupBy(e => $"{e.Row.Task}/{e.Row.Difficulty}").OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        var manifest = new Dictionary<string, object?>
        {
            ["generator"] = Source, ["seed"] = o.Seed, ["image_size"] = o.ImageSize, ["tasks"] = o.Tasks, ["difficulties"] = o.Difficulties,
            ["choice_share"] = o.ChoiceShare, ["self_check_share"] = o.SelfCheckShare, ["self_correct_share"] = o.SelfCorrectShare,
            ["train"] = s.Train, ["heldout"] = s.HeldOut, ["duplicates_skipped"] = s.DuplicatesSkipped,
            ["train_counts"] = Counts(train), ["heldout_counts"] = Counts(heldOut),
            ["blind_baseline"] = new Dictionary<string, object> { ["accuracy"] = s.Blind.Accuracy, ["per_task"] = s.Blind.PerTask, ["method"] = "majority training answer per question text (question-only)" },
        };
        if (train.Count > 0)
        {
            // From the pixels in memory, before PNG encoding (lossless, so the files measure the same).
            var stats = SynthImageStatistics.Measure(train.Select(e => new RgbImage(e.Image.Width, e.Image.Height, e.Image.Pixels)));
            manifest[SynthImageStatistics.MeanField] = stats.Mean;
            manifest[SynthImageStatistics.StdField] = stats.Std;
            manifest["image_stats_images"] = Math.Min(train.Count, SynthImageStatistics.MaxImages);
        }
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(manifest, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
