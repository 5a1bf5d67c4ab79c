// Elementwise unary ops and their derivatives: exp, log, sqrt, rsqrt, square, neg, sigmoid, tanh, silu,
// quick_gelu (x·σ(1.702x), CLIP), gelu (erf form and tanh approximation, as torch.nn.functional.gelu),
// clamp (gradient passes where min ≤ x ≤ max, as torch), scale, add-scalar, and the fused SwiGLU silu(g)·u.
// Row kernels: Kernels/Rows/{Activations,ElementwiseRows,SwiGluRows}.cs; scalar twins in Kernels/Reference/.
using System.Numerics.Tensors;
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors;

public static partial class Ops
{
    public static Tensor Exp(Tensor x)
    {
        var y = Out("Exp", (int[])x.Shape.Clone());
        TensorPrimitives.Exp(x.Span, y.Span);
        if (Autograd.Needs(x))
            Node(y, () => { var d = x.GradSpan(); TensorPrimitives.FusedMultiplyAdd(G(y), y.Span, d, d); }, x);
        return Done(y);
    }

    public static Tensor Log(Tensor x)
    {
        var y = Out("Log", (int[])x.Shape.Clone());
        TensorPrimitives.Log(x.Span, y.Span);
        if (Autograd.Needs(x))
            Node(y, () => ElementwiseRows.Accumulate(AccKind.Div, G(y), x.Span, 1f, x.GradSpan()), x);
        return Done(y);
    }

    public static Tensor Sqrt(Tensor x)
    {
        var y = Out("Sqrt", (int[])x.Shape.Clone());
        TensorPrimitives.Sqrt(x.Span, y.Span);
        // d sqrt(x) = 0.5 / sqrt(x)
        if (Autograd.Needs(x))
            Node(y, () => ElementwiseRows.Accumulate(AccKind.DivScaled, G(y), y.Span, 0.5f, x.GradSpan()), x);
        return Done(y);
    }

    public static Tensor Rsqrt(Tensor x)
    {
        var y = Out("Rsqrt", (int[])x.Shape.Clone());
        TensorPrimitives.ReciprocalSqrt(x.Span, y.Span);
        // d x^-1/2 = -0.5 x^-3/2 = -0.5 y³
        if (Autograd.Needs(x))
            Node(y, () => ElementwiseRows.Accumulate(AccKind.Rsqrt, G(y), y.Span, 1f, x.GradSpan()), x);
        return Done(y);
    }

    public static Tensor Square(Tensor x)
    {
        var y = Out("Square", (int[])x.Shape.Clone());
        TensorPrimitives.Multiply(x.Span, x.Span, y.Span);
        if (Autograd.Needs(x))
            Node(y, () => ElementwiseRows.Accumulate(AccKind.MulScaled, G(y), x.Span, 2f, x.GradSpan()), x);
        return Done(y);
    }

    public static Tensor Neg(Tensor x) => Scale(x, -1f, "Neg");

    public static Tensor Scale(Tensor x, float s) => Scale(x, s, "Scale");

    static Tensor Scale(Tensor x, float s, string name)
    {
        var y = Out(name, (int[])x.Shape.Clone());
        TensorPrimitives.Multiply(x.Span, s, y.Span);
        if (Autograd.Needs(x))
            Node(y, () => { var d = x.GradSpan(); TensorPrimitives.MultiplyAdd(G(y), s, d, d); }, x);
        return Done(y);
    }

    public static Tensor AddScalar(Tensor x, float s)
    {
        var y = Out("AddScalar", (int[])x.Shape.Clone());
        TensorPrimitives.Add(x.Span, s, y.Span);
        if (Autograd.Needs(x))
            Node(y, () => { var d = x.GradSpan(); TensorPrimitives.Add(d, G(y), d); }, x);
        return Done(y);
    }

    public static Tensor Sigmoid(Tensor x) => Activation(x, Act.Sigmoid, "Sigmoid");
    public static Tensor Tanh(Tensor x) => Activation(x, Act.Tanh, "Tanh");
    public static Tensor Silu(Tensor x) => Activation(x, Act.Silu, "Silu");
    public static Tensor QuickGelu(Tensor x) => Activation(x, Act.QuickGelu, "QuickGelu");
    public static Tensor Gelu(Tensor x, bool tanhApproximation = false) =>
        Activation(x, tanhApproximation ? Act.GeluTanh : Act.GeluErf, tanhApproximation ? "Gelu(tanh)" : "Gelu");

    /// <summary>Elementwise work is split into blocks of this many floats for RowParallel.</summary>
    const int Block = 4096;

    static int Blocks(int length) => (length + Block - 1) / Block;

    static Tensor Activation(Tensor x, Act act, string name)
    {
        var y = Out(name, (int[])x.Shape.Clone());
        int len = x.Length;
        RowParallel.For(Blocks(len), 2L * Block, (_, s, e) =>
        {
            int a = s * Block, b = Math.Min(len, e * Block);
            Activations.Forward(act, x.Span[a..b], y.Span[a..b]);
        });
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                x.GradSpan();
                RowParallel.For(Blocks(len), 3L * Block, (_, s, e) =>
                {
                    int a = s * Block, b = Math.Min(len, e * Block);
                    Activations.Backward(act, x.Span[a..b], G(y)[a..b], x.GradSpan()[a..b]);
                });
            }, x);
        return Done(y);
    }

    public static Tensor Clamp(Tensor x, float min, float max)
    {
        if (!(min <= max)) throw new ArgumentException($"Clamp: min {min} > max {max}");
        var y = Out("Clamp", (int[])x.Shape.Clone());
        TensorPrimitives.Clamp(x.Span, min, max, y.Span);
        if (Autograd.Needs(x))
            Node(y, () => ElementwiseRows.ClampBackward(x.Span, G(y), min, max, x.GradSpan()), x);
        return Done(y);
    }

    /// <summary>silu(gate) · up, fused (Qwen2 MLP: down(silu(gate(x)) * up(x))).</summary>
    public static Tensor SwiGlu(Tensor gate, Tensor up)
    {
        if (!Shapes.Equal(gate.Shape, up.Shape))
            throw new ArgumentException($"SwiGlu: gate {Shapes.Str(gate.Shape)} and up {Shapes.Str(up.Shape)} must have the same shape");
        var y = Out("SwiGlu", (int[])gate.Shape.Clone());
        int len = y.Length;
        RowParallel.For(Blocks(len), 3L * Block, (_, s, e) =>
        {
            int a = s * Block, b = Math.Min(len, e * Block);
            SwiGluRows.Forward(gate.Span[a..b], up.Span[a..b], y.Span[a..b]);
        });
        if (Autograd.Needs(gate, up))
            Node(y, () =>
            {
                // fresh gradient buffers are written; if only one is fresh (or gate and up are one tensor) it is zeroed
                bool owG = false, owU = false;
                if (gate.RequiresGrad) gate.GradOut(out owG);
                if (up.RequiresGrad) up.GradOut(out owU);
                bool write = (owG || !gate.RequiresGrad) && (owU || !up.RequiresGrad);
                if (!write) { if (owG) gate.Grad!.Span.Clear(); if (owU) up.Grad!.Span.Clear(); }
                RowParallel.For(Blocks(len), 5L * Block, (_, s, e) =>
                {
                    int a = s * Block, b = Math.Min(len, e * Block);
                    SwiGluRows.Backward(gate.Span[a..b], up.Span[a..b], G(y)[a..b],
                        gate.RequiresGrad ? gate.GradSpan()[a..b] : default, up.RequiresGrad ? up.GradSpan()[a..b] : default, accumulate: !write);
                });
            }, gate, up);
        return Done(y);
    }
}
