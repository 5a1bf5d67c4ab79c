// Dataset rows → SFT examples, GRPO prompts and evaluation items for the CLI's pipelines, on top of the trainers'
// row conversion (chat template + smart_resize grids). A row whose image cannot be read or processed is skipped,
// counted and reported, never fatal.
using Rethinker.Data.Rows;
using Rethinker.Eval.Runner;
using Rethinker.Models.Imaging;
using Rethinker.Models.Tokenization;
using Rethinker.Training.Hosting;
using Rethinker.Training.Prompts;
using Rethinker.Training.Sft;

namespace Rethinker.Cli.Quickstart;

public sealed class RowConversion(BpeTokenizer tokenizer, QwenImageProcessor processor, string baseDir, Action<string>? warn = null)
{
    readonly Training.Hosting.RowConversion _rows = new(new Qwen2VlChatTemplate(tokenizer, processor.Options.MergeSize), processor.Options, baseDir);

    public int Skipped { get; private set; }

    T? Try<T>(DatasetRow row, Func<T?> convert) where T : class
    {
        try { return convert(); }
        catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Skipped++;
            warn?.Invoke($"row {row.Id}: {e.Message}; skipped");
            return null;
        }
    }

    public List<SftExample> Sft(IEnumerable<DatasetRow> rows, TraceFormat format) =>
        rows.Select(r => Try(r, () => _rows.ToSftExample(r, format))).OfType<SftExample>().ToList();

    public List<TrainingPrompt> Prompts(IEnumerable<DatasetRow> rows) =>
        rows.Select(r => Try(r, () => _rows.ToPrompt(r))).OfType<TrainingPrompt>().ToList();

    public List<EvalItem> EvalItems(IEnumerable<DatasetRow> rows) =>
        rows.Select(r => Try(r, () => _rows.ToPrompt(r)) is { } p
                ? new EvalItem(r.Id, r.Category ?? r.Task ?? "all", r.Question, p.PromptTokenIds, p.Images, r.Answer, r.Choices, r.AnswerType)
                : null)
            .OfType<EvalItem>().ToList();
}
