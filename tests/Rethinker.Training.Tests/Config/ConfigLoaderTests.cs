using Rethinker.Training.Config;

namespace Rethinker.Training.Tests.Config;

public class ConfigLoaderTests
{
    static string Yaml(string text)
    {
        var p = Path.Combine(Path.GetTempPath(), $"rt-cfg-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void Defaults_AreVlRethinkerValues()
    {
        var c = ConfigLoader.Load<GrpoConfig>(null, []);
        c.Validate();
        Assert.Equal(8, c.Grpo.GroupSize);
        Assert.Equal((0.2f, 0.28f), (c.Grpo.ClipEpsilonLow, c.Grpo.ClipEpsilonHigh));
        Assert.Equal(AdvantageMode.MeanCentered, c.Grpo.Advantage);
        Assert.Equal(0f, c.Grpo.KlBeta);
        Assert.Equal((0.9f, 0.95f, 1f), (c.Optim.Beta1, c.Optim.Beta2, c.Optim.MaxGradNorm));
        Assert.Equal((0.65f, 0.9f, 0.05f, 2), (c.Rethinking.Probability, c.Rethinking.Temperature, c.Rethinking.AuxNllCoef, c.Rethinking.MaxPerPrompt));
        Assert.Equal((ReplayMode.Ssr, 1f), (c.Replay.Mode, c.Replay.Alpha));
    }

    [Fact]
    public void File_ThenOverrides_AreAppliedInOrder()
    {
        var path = Yaml("grpo:\n  group_size: 6\n  loss_aggregation: seq_mean_token_mean\nrethinking:\n  verification_triggers: [\"\\n\\nHmm\"]\n");
        var c = ConfigLoader.Load<GrpoConfig>(path, ["grpo.group_size=4", "grpo.loss_aggregation=seq-mean-token-sum-norm", "replay.mode=filter",
            "rethinking.markers=[wait, hmm]", "run.seed=7"]);
        Assert.Equal(4, c.Grpo.GroupSize);
        Assert.Equal(LossAggregation.SeqMeanTokenSumNorm, c.Grpo.LossAggregation);
        Assert.Equal(ReplayMode.Filter, c.Replay.Mode);
        Assert.Equal(["\n\nHmm"], c.Rethinking.VerificationTriggers);
        Assert.Equal(["wait", "hmm"], c.Rethinking.Markers);
        Assert.Equal(7UL, c.Run.Seed);
        Assert.Equal(0.65f, c.Rethinking.Probability); // untouched options keep defaults
    }

    [Fact]
    public void UnknownKey_NamesThePathAndTheKnownKeys()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load<GrpoConfig>(null, ["grpo.gruop_size=4"]));
        Assert.Contains("grpo.gruop_size", e.Message);
        Assert.Contains("group_size", e.Message);
    }

    [Fact]
    public void BadValue_NamesThePathAndExpectedType()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load<GrpoConfig>(null, ["grpo.group_size=many"]));
        Assert.Contains("grpo.group_size", e.Message);
        Assert.Contains("integer", e.Message);
        var e2 = Assert.Throws<ConfigException>(() => ConfigLoader.Load<GrpoConfig>(null, ["replay.mode=sometimes"]));
        Assert.Contains("grpo, filter, ssr", e2.Message);
    }

    [Fact]
    public void InvalidYaml_NamesTheFileAndLine()
    {
        var path = Yaml("grpo:\n  group_size: [1,\n");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load<GrpoConfig>(path, []));
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData("grpo.group_size=1", "grpo.group_size")]
    [InlineData("grpo.clip_epsilon_low=1.5", "grpo.clip_epsilon_low")]
    [InlineData("rethinking.probability=1.2", "rethinking.probability")]
    [InlineData("rethinking.max_per_prompt=9", "rethinking.max_per_prompt")]
    [InlineData("rethinking.min_continuation_tokens=2000", "rethinking.max_continuation_tokens")]
    [InlineData("optim.learning_rate=0", "optim.learning_rate")]
    [InlineData("optim.vision_lr_scale=-1", "optim.vision_lr_scale")]
    [InlineData("replay.capacity=0", "replay.capacity")]
    [InlineData("grpo.micro_batch_tokens=-1", "grpo.micro_batch_tokens")]
    public void Validate_RejectsBadValuesWithTheOptionName(string set, string named)
    {
        var c = ConfigLoader.Load<GrpoConfig>(null, [set]);
        var e = Assert.Throws<ConfigException>(c.Validate);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Validate_RejectsANonFiniteVisionWeightDecaySetInCode()
    {
        // the YAML binder already refuses NaN; options built in code (the quickstart) are checked here
        var e = Assert.Throws<ConfigException>(new OptimizerOptions { LearningRate = 1e-3f, VisionWeightDecay = float.NaN }.Validate);
        Assert.Contains("optim.vision_weight_decay", e.Message);
    }

    [Fact]
    public void SftConfig_LoadsAndValidates()
    {
        var c = ConfigLoader.Load<SftConfig>(null, ["sft.gradient_accumulation=4", "optim.schedule=cosine"]);
        c.Validate();
        Assert.Equal(4, c.Sft.GradientAccumulation);
        Assert.Throws<ConfigException>(ConfigLoader.Load<SftConfig>(null, ["sft.max_sequence_length=99999"]).Validate);
    }
}

public class ShippedConfigTests
{
    static string Shipped(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "configs", name);

    [Fact]
    public void GrpoYaml_ListsEveryOptionWithItsDefault()
    {
        var fromFile = ConfigLoader.Load<GrpoConfig>(Shipped("grpo.yaml"), []);
        fromFile.Validate();
        AssertSameOptions(new GrpoConfig(), fromFile, "");
        AssertEveryKeyPresent(typeof(GrpoConfig), ConfigLoader.Parse(File.ReadAllText(Shipped("grpo.yaml")), "grpo.yaml"), "");
    }

    [Fact]
    public void GrpoTinyYaml_HoldsTheReadmeRunsSettingsAndValidatesOnceModelAndDataAreGiven()
    {
        var c = ConfigLoader.Load<GrpoConfig>(Shipped("grpo-tiny.yaml"), ["model.path=m", "data.train=t.jsonl"]);
        c.Validate();
        Assert.Equal((64, 8, 512, 0.1f, 5e-5f, 0f, ReplayMode.Ssr, true),
            (c.Grpo.RolloutBatchSize, c.Grpo.GroupSize, c.Grpo.MiniBatchSize, c.Grpo.KlBeta, c.Optim.LearningRate, c.Optim.VisionLrScale, c.Replay.Mode, c.Rethinking.Enabled));
    }

    [Fact]
    public void SftYaml_ListsEveryOptionWithItsDefault()
    {
        var fromFile = ConfigLoader.Load<SftConfig>(Shipped("sft.yaml"), []);
        fromFile.Validate();
        AssertSameOptions(new SftConfig(), fromFile, "");
        AssertEveryKeyPresent(typeof(SftConfig), ConfigLoader.Parse(File.ReadAllText(Shipped("sft.yaml")), "sft.yaml"), "");
    }

    static void AssertSameOptions(object expected, object actual, string path)
    {
        foreach (var p in expected.GetType().GetProperties().Where(p => p.CanWrite))
        {
            object? e = p.GetValue(expected), a = p.GetValue(actual);
            string name = path + Naming.ToSnake(p.Name);
            if (p.PropertyType.IsClass && p.PropertyType != typeof(string) && !p.PropertyType.IsArray) AssertSameOptions(e!, a!, name + ".");
            else if (e is string[] es) Assert.True(es.SequenceEqual((string[])a!), $"{name}: file differs from the default");
            else Assert.True(Equals(e, a), $"{name}: file has {a}, default is {e}");
        }
    }

    static void AssertEveryKeyPresent(Type t, YamlDotNet.RepresentationModel.YamlMappingNode node, string path)
    {
        foreach (var p in t.GetProperties().Where(p => p.CanWrite))
        {
            string key = Naming.ToSnake(p.Name);
            Assert.True(node.Children.ContainsKey(new YamlDotNet.RepresentationModel.YamlScalarNode(key)), $"config file lacks {path}{key}");
            if (p.PropertyType.IsClass && p.PropertyType != typeof(string) && !p.PropertyType.IsArray)
                AssertEveryKeyPresent(p.PropertyType, (YamlDotNet.RepresentationModel.YamlMappingNode)node.Children[new YamlDotNet.RepresentationModel.YamlScalarNode(key)], path + key + ".");
        }
    }
}

public class ConfigWriterTests
{
    [Fact]
    public void ResolvedYaml_RoundTripsThroughTheLoader()
    {
        var c = ConfigLoader.Load<GrpoConfig>(null, ["grpo.group_size=5", "replay.mode=filter", "rethinking.verification_triggers=[\"\\n\\nWait\", \"Hm \\\"ok\\\"\"]", "optim.learning_rate=3e-4"]);
        string yaml = ConfigWriter.ToYaml(c);
        var path = Path.Combine(Path.GetTempPath(), $"rt-rt-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        var back = ConfigLoader.Load<GrpoConfig>(path, []);
        Assert.Equal(ConfigWriter.ToYaml(back), yaml);
        Assert.Equal(5, back.Grpo.GroupSize);
        Assert.Equal(["\n\nWait", "Hm \"ok\""], back.Rethinking.VerificationTriggers);
        Assert.Equal(3e-4f, back.Optim.LearningRate);
    }
}
