// The tiny HF fixture models for both families on all three cases: vision intermediates, image embeddings,
// text hidden states and logits within 1e-4 absolute of transformers 4.50; positions and deltas exactly.
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;
using Rethinker.Tensors;

namespace Rethinker.Models.Tests.Qwen;

public sealed class FixtureParityTests
{
    const float Tol = 1e-4f;

    public static TheoryData<string, string> AllCases() => TestFiles.AllCases();

    internal static QwenVlInputs Inputs(SafeTensorsFile f)
    {
        var ids = f.ReadInt32("input_ids");
        if (!f.Contains("image_grid_thw")) return QwenVlInputs.Single(ids);
        var grids = GridThw.FromTable(f.ReadInt64("image_grid_thw"));
        var pv = f.Entry("pixel_values");
        return QwenVlInputs.Single(ids, Tensor.FromArray(f.ReadSingle("pixel_values"), pv.Shape), grids);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Forward_MatchesTransformers(string arch, string caseName)
    {
        var model = QwenVlModel.Load(TestFiles.ModelDir(arch));
        using var f = SafeTensorsFile.Open(TestFiles.Case(arch, caseName));
        var trace = new VisionTrace();
        QwenVlOutput o;
        using (Autograd.NoGrad()) o = model.Forward(Inputs(f), trace, keepHiddenStates: true);

        Assert.Equal(f.ReadInt32("position_ids"), o.PositionIds);
        Assert.Equal(f.ReadInt32("rope_deltas")[0], o.RopeDeltas[0]);
        if (f.Contains("image_embeds"))
        {
            Assert.NotNull(o.ImageEmbeds);
            Near(f, "image_embeds", o.ImageEmbeds!.ToArray());
            Assert.Equal(f.ReadInt32("vision.cu_seqlens"), trace.CuSeqlens);
            if (f.Contains("vision.window_index"))
            {
                Assert.Equal(f.ReadInt32("vision.window_index"), trace.WindowIndex);
                Assert.Equal(f.ReadInt32("vision.cu_window_seqlens"), trace.CuWindowSeqlens);
            }
            int checkedKeys = 0;
            foreach (var e in f.Entries.Where(e => e.Name.StartsWith("vision.", StringComparison.Ordinal) && e.DType == SafeTensorDType.F32))
            {
                Assert.True(trace.Tensors.ContainsKey(e.Name), $"no trace for {e.Name}");
                Near(f, e.Name, trace.Tensors[e.Name]);
                checkedKeys++;
            }
            Assert.True(checkedKeys >= 4, $"only {checkedKeys} vision intermediates compared");
        }
        else Assert.Null(o.ImageEmbeds);
        var hs = o.HiddenStates!;
        Assert.Equal(model.Config.NumLayers + 1, hs.Count);
        for (int i = 0; i < hs.Count; i++) Near(f, $"text.hidden_states{i}", hs[i].ToArray());
        Near(f, "logits", o.Logits.ToArray());
        Assert.Equal(new[] { f.ReadInt32("input_ids").Length, model.Config.VocabSize }, o.Logits.Shape);
    }

    static void Near(SafeTensorsFile f, string name, float[] actual)
    {
        var expected = f.ReadSingle(name);
        float d = TestFiles.MaxAbsDiff(expected, actual);
        Assert.True(d <= Tol, $"{name}: max |diff| {d:E3} > {Tol:E0}");
    }
}

/// <summary>The whole pipeline from raw uint8 images (image processor + model) against transformers' logits.</summary>
public sealed class RawImageParityTests
{
    [Theory]
    [InlineData("qwen2_vl", "two_images")]
    [InlineData("qwen2_5_vl", "two_images")]
    [InlineData("qwen2_5_vl", "one_image")]
    public void RawImages_ThroughProcessor_MatchTransformers(string arch, string caseName)
    {
        var model = QwenVlModel.Load(TestFiles.ModelDir(arch));
        using var f = SafeTensorsFile.Open(TestFiles.Case(arch, caseName));
        var images = new List<Rethinker.Models.Imaging.RgbImage>();
        for (int k = 0; f.Contains($"image{k}_rgb"); k++)
        {
            var e = f.Entry($"image{k}_rgb");
            images.Add(Rethinker.Models.Imaging.RgbImage.Create(e.Shape[1], e.Shape[0], f.ReadBytes($"image{k}_rgb")));
        }
        var (pv, grids) = QwenVlImageInputs.FromImages(QwenVlImageInputs.ProcessorOf(TestFiles.ModelDir(arch)), images);
        Assert.Equal(GridThw.FromTable(f.ReadInt64("image_grid_thw")), grids);
        using var _ = Autograd.NoGrad();
        var o = model.Forward(QwenVlInputs.Single(f.ReadInt32("input_ids"), pv, grids));
        float d = TestFiles.MaxAbsDiff(f.ReadSingle("logits"), o.Logits.ToArray());
        Assert.True(d <= 1e-4f, $"logits max |diff| {d:E3}");
    }
}
