// Shared access to the committed tokenizer reference data (TestData/tokenizer, see its README.md):
// the real Qwen tokenizer, loaded once per test run.
using System.Text.Json;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

internal static class TokenizerTestData
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "TestData", "tokenizer");

    static readonly Lazy<BpeTokenizer> qwen = new(() => BpeTokenizer.Load(Path.Combine(Dir, "qwen_tokenizer.json.gz")));

    /// <summary>The Qwen2/2.5/3 byte-level BPE tokenizer with its tokenizer_config.json.</summary>
    public static BpeTokenizer Qwen => qwen.Value;

    public static IEnumerable<JsonElement> ReadJsonl(string name)
    {
        foreach (var line in File.ReadLines(Path.Combine(Dir, name)))
            if (line.Length > 0) yield return JsonDocument.Parse(line).RootElement;
    }

    public static int[] Ids(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
