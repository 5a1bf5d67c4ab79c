// Builds what a configured run trains: the embedded Qwen2-VL policy from model.path (PolicyLoader), the prompts
// or SFT examples from data.* JSONL rows (RowConversion through the checkpoint's tokenizer, chat template and
// image processor), the reward (Rethinker.Rewards: reward.config or VL-Rethinker's accuracy), and the stop tokens.
using Rethinker.Data.Rows;
using Rethinker.Models.Generation;
using Rethinker.Models.Policy;
using Rethinker.Models.Tokenization;
using Rethinker.Training.Config;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;
using Rethinker.Training.Sft;

namespace Rethinker.Training.Hosting;

public sealed class RunSetup : IDisposable
{
    public required ITrainablePolicy Policy { get; init; }
    public IPromptDataset Prompts { get; init; } = new ListPromptDataset([]);
    public IRewardFunction Reward { get; init; } = VerifierReward.Accuracy();
    public SamplingOptions Sampling { get; init; } = new();
    public Func<ITrainablePolicy>? ReferenceFactory { get; init; }
    public ISftDataset Train { get; init; } = new ListSftDataset([]);
    public ISftDataset? Eval { get; init; }

    public static RunSetup ForGrpo(GrpoConfig config)
    {
        var (policy, conversion, sampling) = Open(config.Model, config.Data);
        var prompts = ReadRows(config.Data.Train, "data.train").Select(conversion(config.Data.Train).ToPrompt).ToArray();
        string refPath = config.Model.ReferencePath.Length > 0 ? config.Model.ReferencePath : config.Model.Path;
        return new RunSetup
        {
            Policy = policy, Prompts = new ListPromptDataset(prompts), Sampling = sampling,
            Reward = config.Reward.Config.Length > 0 ? VerifierReward.FromFile(config.Reward.Config) : VerifierReward.Accuracy(config.Reward.InvalidReward),
            ReferenceFactory = () => PolicyLoader.Load(refPath),
        };
    }

    public static RunSetup ForSft(SftConfig config)
    {
        var (policy, conversion, sampling) = Open(config.Model, config.Data);
        ListSftDataset Examples(string path, string name)
        {
            var conv = conversion(path);
            var rows = ReadRows(path, name);
            var examples = rows.Select(r => conv.ToSftExample(r, config.Sft.TraceFormat)).OfType<SftExample>().ToArray();
            if (examples.Length == 0)
                throw new InvalidDataException($"{name} '{path}': none of its {rows.Count} rows has a '{Naming.ToSnake(config.Sft.TraceFormat.ToString())}' trace (sft.trace_format)");
            return new ListSftDataset(examples);
        }
        return new RunSetup
        {
            Policy = policy, Sampling = sampling, Train = Examples(config.Data.Train, "data.train"),
            Eval = config.Data.Eval.Length > 0 ? Examples(config.Data.Eval, "data.eval") : null,
        };
    }

    static (EmbeddedPolicy Policy, Func<string, RowConversion> Conversion, SamplingOptions Sampling) Open(ModelOptions m, DataOptions d)
    {
        if (string.IsNullOrWhiteSpace(m.Path)) throw new ConfigException("model.path is empty: give a Hugging Face checkpoint directory (--set model.path=DIR)");
        if (!File.Exists(Path.Combine(m.Path, "config.json"))) throw new FileNotFoundException($"model.path '{m.Path}' has no config.json: not a Hugging Face checkpoint");
        if (string.IsNullOrWhiteSpace(d.Train)) throw new ConfigException("data.train is empty: give a JSONL file of rows (--set data.train=FILE)");
        var policy = PolicyLoader.Load(m.Path);
        var tokenizer = ((BpeTokenCodec)policy.Tokenizer).Tokenizer;
        var processor = PolicyLoader.LoadImageProcessor(m.Path).Options;
        var template = new Qwen2VlChatTemplate(tokenizer, processor.MergeSize);
        // EOS of the config plus the chat template's end of turn: a response ends at either.
        var stops = policy.Model.Config.EosTokenIds.Concat(new[] { "<|im_end|>", "<|endoftext|>" }.Select(tokenizer.TokenToId).OfType<int>()).Distinct().ToArray();
        RowConversion Conversion(string jsonl) => new(template, processor, Path.GetDirectoryName(Path.GetFullPath(jsonl))!, d.SystemPrompt);
        return (policy, Conversion, new SamplingOptions { StopTokenIds = stops });
    }

    static IReadOnlyList<DatasetRow> ReadRows(string path, string name)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{name} '{path}' does not exist");
        var load = JsonlDatasetReader.Read(path);
        if (load.Rows.Count == 0) throw new InvalidDataException($"{name} '{path}': no usable rows ({load.LinesRead} lines read). {load.Report()}");
        return load.Rows;
    }

    public void Dispose() { }
}
