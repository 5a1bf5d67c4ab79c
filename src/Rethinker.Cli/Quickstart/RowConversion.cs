// Dataset rows (DESIGN.md §7) → what each stage consumes: SFT examples (prompt + trace, assistant-only mask),
// GRPO prompts (prompt ids, images, gold) and evaluation items. Images are decoded once per row; a row whose image
// cannot be read is skipped and reported, never fatal.
using Rethinker.Data.Rows;
using Rethinker.Eval.Runner;
using Rethinker.Models.Generation;
using Rethinker.Models.Imaging;
using Rethinker.Training.Prompts;
using Rethinker.Training.Sft;

namespace Rethinker.Cli.Quickstart;

public sealed class RowConversion(VisionPromptBuilder builder, string baseDir, Action<string>? warn = null)
{
    public int Skipped { get; private set; }

    IReadOnlyList<RgbImage>? Images(DatasetRow row)
    {
        try { return row.Images.Select(p => ImageLoader.Load(Path.Combine(baseDir, p))).ToList(); }
        catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException)
        {
            Skipped++;
            warn?.Invoke($"row {row.Id}: image unreadable ({e.Message}); skipped");
            return null;
        }
    }

    public List<SftExample> Sft(IEnumerable<DatasetRow> rows, Func<DatasetRow, string?> trace)
    {
        var list = new List<SftExample>();
        foreach (var row in rows)
        {
            if (trace(row) is not { } answer || Images(row) is not { } images) continue;
            var enc = builder.Build(row.Question, images, answer);
            list.Add(new SftExample { Id = row.Id, TokenIds = enc.Ids, AssistantMask = enc.AssistantMask, Images = images });
        }
        return list;
    }

    public List<TrainingPrompt> Prompts(IEnumerable<DatasetRow> rows)
    {
        var list = new List<TrainingPrompt>();
        foreach (var row in rows)
        {
            if (Images(row) is not { } images) continue;
            list.Add(new TrainingPrompt
            {
                Id = row.Id, PromptTokenIds = builder.Build(row.Question, images).Ids, Images = images, Answer = row.Answer,
                Question = row.Question, Choices = row.Choices ?? [], AnswerType = row.AnswerType,
            });
        }
        return list;
    }

    public List<EvalItem> EvalItems(IEnumerable<DatasetRow> rows)
    {
        var list = new List<EvalItem>();
        foreach (var row in rows)
        {
            if (Images(row) is not { } images) continue;
            list.Add(new EvalItem(row.Id, row.Category ?? row.Task ?? "all", row.Question, builder.Build(row.Question, images).Ids, images,
                row.Answer, row.Choices, row.AnswerType));
        }
        return list;
    }
}
