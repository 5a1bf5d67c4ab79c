// Paths of the copied reference fixtures (TestData/, see the READMEs there) and small comparison helpers.
namespace Rethinker.Models.Tests.Qwen;

internal static class TestFiles
{
    public static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static string ModelDir(string arch) => Data("hf-qwen-vl", arch);

    public static string Case(string arch, string name) => Data("hf-qwen-vl", arch, name + ".safetensors");

    public static readonly string[] Archs = ["qwen2_vl", "qwen2_5_vl"];
    public static readonly string[] Cases = ["two_images", "one_image", "text_only"];

    public static TheoryData<string, string> AllCases()
    {
        var d = new TheoryData<string, string>();
        foreach (var a in Archs) foreach (var c in Cases) d.Add(a, c);
        return d;
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}
