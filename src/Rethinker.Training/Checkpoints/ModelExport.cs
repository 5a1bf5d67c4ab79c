// The model export inside a checkpoint must open on its own (PolicyLoader, `rethinker train … --set model.path=`):
// policy.Save writes config and weights; the tokenizer, chat template and image processor files are copied
// from the run's model.path when the policy did not write them.
namespace Rethinker.Training.Checkpoints;

public static class ModelExport
{
    static readonly string[] AuxFiles =
        ["tokenizer.json", "tokenizer_config.json", "preprocessor_config.json", "chat_template.json", "special_tokens_map.json", "generation_config.json"];

    public static void Write(Models.Policy.ITrainablePolicy policy, string dir, string sourceModelPath)
    {
        policy.Save(dir);
        if (string.IsNullOrEmpty(sourceModelPath) || !Directory.Exists(sourceModelPath)) return;
        foreach (var name in AuxFiles)
        {
            string src = Path.Combine(sourceModelPath, name), dst = Path.Combine(dir, name);
            if (File.Exists(src) && !File.Exists(dst)) File.Copy(src, dst);
        }
    }
}
