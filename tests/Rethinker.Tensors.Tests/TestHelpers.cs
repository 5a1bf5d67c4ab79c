namespace Rethinker.Tensors.Tests;

internal static class TestHelpers
{
    /// <summary>The gradient buffer of a leaf, allocated on first use (tests set gradients by hand).</summary>
    public static Span<float> GradSpanForTest(this Tensor t) => t.GradSpan();
}
