// Parameter counts per part of a Qwen-VL model (works on meta models), for `model info` and memory estimates.
using Rethinker.Models.Modules;

namespace Rethinker.Models.Qwen;

public sealed record ModelSizes(long Visual, long Text, long LmHead)
{
    /// <summary>Unique parameters (what a checkpoint holds; a tied lm_head counts once).</summary>
    public long Total => Visual + Text + LmHead;

    public static ModelSizes Of(ParamModule model)
    {
        long v = 0, t = 0, h = 0;
        foreach (var (name, shape) in model.ParameterShapes())
        {
            long n = shape.Aggregate(1L, (a, d) => a * d);
            if (name.StartsWith("visual.", StringComparison.Ordinal)) v += n;
            else if (name.StartsWith("lm_head.", StringComparison.Ordinal)) h += n;
            else t += n;
        }
        return new ModelSizes(v, t, h);
    }
}
