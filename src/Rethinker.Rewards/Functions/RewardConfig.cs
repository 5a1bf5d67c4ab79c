// YAML configuration of a composite reward (YamlDotNet). Example:
//   verifier: { relative_tolerance: 1e-4 }
//   components:
//     - { type: accuracy, weight: 1.0, invalid_reward: -0.1 }
//     - { type: format, weight: 0.5, mode: think_boxed }       # think_boxed | llava_cot | r1vl_steps
//     - { type: step_rar, weight: 1.0, step_weight: 0.1, soft_recall: 0.8 }
// Types: accuracy, format, rft_discrete, rft_math, rft_function, step_rar, step_rvr, rethinking. Unknown keys are errors.
using System.Globalization;
using Rethinker.Rewards.Verification;
using YamlDotNet.RepresentationModel;

namespace Rethinker.Rewards.Functions;

public static class RewardConfig
{
    static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["accuracy"] = ["invalid_reward"],
        ["format"] = ["mode"],
        ["rft_discrete"] = [],
        ["rft_math"] = [],
        ["rft_function"] = [],
        ["step_rar"] = ["step_weight", "soft_recall"],
        ["step_rvr"] = [],
        ["rethinking"] = ["invalid_reward"],
    };

    public static CompositeReward LoadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"reward config '{path}' does not exist.");
        return Parse(File.ReadAllText(path), path);
    }

    public static CompositeReward Parse(string yaml, string source = "<yaml>")
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlDotNet.Core.YamlException e) { throw new FormatException($"{source}: invalid YAML at line {e.Start.Line}: {e.Message}"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{source}: expected a mapping with a 'components' list.");
        var verifierOptions = new VerifierOptions();
        foreach (var (k, v) in root.Children)
        {
            string key = ((YamlScalarNode)k).Value ?? "";
            if (key == "verifier")
            {
                if (v is not YamlMappingNode vm) throw new FormatException($"{source}: 'verifier' must be a mapping.");
                foreach (var (vk, vv) in vm.Children)
                {
                    string name = ((YamlScalarNode)vk).Value ?? "";
                    if (name != "relative_tolerance") throw new FormatException($"{source}: unknown verifier key '{name}' (expected relative_tolerance).");
                    verifierOptions = new VerifierOptions { RelativeTolerance = Number(vv, source, "verifier.relative_tolerance") };
                }
                verifierOptions.Validate();
            }
            else if (key != "components") throw new FormatException($"{source}: unknown key '{key}' (expected components, verifier).");
        }
        if (!root.Children.TryGetValue(new YamlScalarNode("components"), out var compNode) || compNode is not YamlSequenceNode seq || seq.Children.Count == 0)
            throw new FormatException($"{source}: 'components' must be a non-empty list.");
        var verifier = new AnswerVerifier(verifierOptions);
        var parts = new List<WeightedReward>();
        int index = 0;
        foreach (var item in seq.Children)
        {
            index++;
            if (item is not YamlMappingNode m) throw new FormatException($"{source}: component {index} must be a mapping with 'type'.");
            parts.Add(Component(m, verifier, $"{source}: component {index}"));
        }
        return new CompositeReward(parts);
    }

    static WeightedReward Component(YamlMappingNode m, AnswerVerifier verifier, string where)
    {
        var map = new Dictionary<string, YamlNode>();
        foreach (var (k, v) in m.Children) map[((YamlScalarNode)k).Value ?? ""] = v;
        if (!map.TryGetValue("type", out var typeNode)) throw new FormatException($"{where}: missing 'type' (one of {string.Join(", ", Allowed.Keys)}).");
        string type = Scalar(typeNode, where, "type");
        if (!Allowed.TryGetValue(type, out var extra)) throw new FormatException($"{where}: unknown type '{type}' (one of {string.Join(", ", Allowed.Keys)}).");
        foreach (var key in map.Keys)
            if (key is not ("type" or "weight" or "name") && !extra.Contains(key)) throw new FormatException($"{where}: key '{key}' is not valid for type '{type}' (allowed: weight, name{(extra.Length > 0 ? ", " + string.Join(", ", extra) : "")}).");
        double weight = map.TryGetValue("weight", out var w) ? Number(w, where, "weight") : 1.0;
        double Get(string key, double dflt) => map.TryGetValue(key, out var n) ? Number(n, where, key) : dflt;
        IReward reward = type switch
        {
            "accuracy" => new AccuracyReward(verifier, Get("invalid_reward", -0.1)),
            "format" => new FormatReward(Mode(map.TryGetValue("mode", out var mn) ? Scalar(mn, where, "mode") : "think_boxed", where)),
            "rft_discrete" => new ReasonRftDiscreteReward(),
            "rft_math" => new ReasonRftMathReward(),
            "rft_function" => new ReasonRftFunctionReward(),
            "step_rar" => new StepRarReward(verifier, Get("step_weight", 0.1), Get("soft_recall", 0.8)),
            "step_rvr" => new StepRvrReward(),
            _ => new RethinkingShapingReward(verifier, Get("invalid_reward", -0.1)),
        };
        if (map.TryGetValue("name", out var nameNode)) reward = new Renamed(reward, Scalar(nameNode, where, "name"));
        return new WeightedReward(reward, weight);
    }

    static FormatMode Mode(string s, string where) => s switch
    {
        "think_boxed" => FormatMode.ThinkBoxed,
        "llava_cot" => FormatMode.LlavaCot,
        "r1vl_steps" => FormatMode.R1VlSteps,
        _ => throw new FormatException($"{where}: format mode '{s}' is not one of think_boxed, llava_cot, r1vl_steps."),
    };

    static string Scalar(YamlNode n, string where, string key) =>
        n is YamlScalarNode s && s.Value is { } v ? v : throw new FormatException($"{where}: '{key}' must be a scalar.");

    static double Number(YamlNode n, string where, string key)
    {
        string s = Scalar(n, where, key);
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d : throw new FormatException($"{where}: '{key}' must be a number, got '{s}'.");
    }

    /// <summary>A component logged under a user-chosen name (two format rewards with different modes, say).</summary>
    sealed class Renamed(IReward inner, string name) : IReward
    {
        public string Name => name;
        public RewardScore Score(RewardInput input) => inner.Score(input) with { Name = name };
    }
}
