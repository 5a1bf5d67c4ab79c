// Agreement of the verifier with labelled verdicts (issue 6 "Show"): human verdicts on dev_cases (≥ 97%, borderline
// rows count either way) and the official benchmark verdicts (MMMU-Pro ≥ 99%, MMMU ≥ 97% without the parser's random
// fallbacks, MathVista ≥ 90%). Every disagreement is printed with the extracted answer so it can be reviewed.
using Rethinker.Rewards.Verification;
using Xunit.Abstractions;

namespace Rethinker.Rewards.Tests.Verification;

public class AgreementTests(ITestOutputHelper output)
{
    double Agreement(string file, string field, bool borderlineFree)
    {
        var rows = LabelledData.Load(file, field);
        int n = 0, agree = 0;
        foreach (var row in rows)
        {
            if (row.Excluded) continue;
            n++;
            var res = AnswerVerifier.Default.Verify(row.Input);
            bool ok = res.Correct == row.Expected || (borderlineFree && row.Borderline);
            if (ok) { agree++; if (res.Correct != row.Expected) output.WriteLine($"  borderline {row.Id}: ours={res.Correct} label={row.Expected} extracted={res.Extracted} ({res.Status}) | {row.Notes}"); continue; }
            string tail = row.Input.Response.Length > 160 ? "…" + row.Input.Response[^160..] : row.Input.Response;
            output.WriteLine($"DISAGREE {row.Id}: ours={res.Correct} label={row.Expected} extracted={res.Extracted ?? "null"} ({res.Status}) gold={row.Input.Gold} | {row.Notes} | {tail.Replace('\n', ' ')}");
        }
        double rate = (double)agree / n;
        output.WriteLine($"{file}: {agree}/{n} = {rate:P2}");
        return rate;
    }

    [Fact]
    public void DevCases_AgreeWithHumanVerdict_AtLeast97Percent() => Assert.True(Agreement("dev_cases.jsonl", "human_verdict", true) >= 0.97);

    [Fact]
    public void MmmuPro_AgreesWithOfficialVerdict_AtLeast99Percent() => Assert.True(Agreement("real_mmmu_pro_dev.jsonl", "official_verdict", false) >= 0.99);

    [Fact]
    public void Mmmu_AgreesWithOfficialVerdict_AtLeast97Percent() => Assert.True(Agreement("real_mmmu_dev.jsonl", "official_verdict", false) >= 0.97);

    [Fact]
    public void MathVista_AgreesWithOfficialVerdict_AtLeast90Percent() => Assert.True(Agreement("real_mathvista_dev.jsonl", "official_verdict", false) >= 0.90);
}
