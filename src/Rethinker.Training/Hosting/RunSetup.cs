// Builds what a configured run trains: the policy from model.path, the prompts / SFT examples from data.*, the
// reward, and the stop tokens of the chat template. The embedded Qwen2-VL ITrainablePolicy (model + tokenizer +
// KV-cache generation) and the dataset readers are other projects' work; until they exist this reports, in one
// line, which piece is missing rather than training something else.
using Rethinker.Models.Policy;
using Rethinker.Training.Config;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;
using Rethinker.Training.Sft;

namespace Rethinker.Training.Hosting;

public sealed class RunSetup : IDisposable
{
    public required ITrainablePolicy Policy { get; init; }
    public IPromptDataset Prompts { get; init; } = new ListPromptDataset([]);
    public IRewardFunction Reward { get; init; } = new DelegateReward((_, _, _) => RewardOutcome.Of(0, false));
    public SamplingOptions Sampling { get; init; } = new();
    public Func<ITrainablePolicy>? ReferenceFactory { get; init; }
    public ISftDataset Train { get; init; } = new ListSftDataset([]);
    public ISftDataset? Eval { get; init; }

    public static RunSetup ForGrpo(GrpoConfig config)
    {
        CheckModel(config.Model);
        CheckData(config.Data.Train, "data.train");
        throw Missing();
    }

    public static RunSetup ForSft(SftConfig config)
    {
        CheckModel(config.Model);
        CheckData(config.Data.Train, "data.train");
        throw Missing();
    }

    static void CheckModel(ModelOptions m)
    {
        if (string.IsNullOrWhiteSpace(m.Path)) throw new ConfigException("model.path is empty: give a Hugging Face checkpoint directory (--set model.path=DIR)");
        if (!Directory.Exists(m.Path)) throw new DirectoryNotFoundException($"model.path '{m.Path}' is not a directory");
        if (!File.Exists(Path.Combine(m.Path, "config.json"))) throw new FileNotFoundException($"model.path '{m.Path}' has no config.json: not a Hugging Face checkpoint");
    }

    static void CheckData(string path, string name)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ConfigException($"{name} is empty: give the training rows (--set {name}=FILE)");
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"{name} '{path}' does not exist");
    }

    static NotSupportedException Missing() => new(
        "this build has no embedded trainable Qwen2-VL policy yet (ITrainablePolicy over the model, tokenizer and KV-cache generation); " +
        "the trainers run through Rethinker.Training's API with any ITrainablePolicy");

    public void Dispose() { }
}
