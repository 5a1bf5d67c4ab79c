// A width-generic SIMD vocabulary so each row kernel is written once and JIT-specialised for Vector512 (AVX-512)
// and Vector256 (AVX2): kernels are generic over TOps : ISimd<TV>; static abstract calls inline to the intrinsics.
// Dispatch (Simd.Width) picks 512 when accelerated, else 256, else callers use their scalar reference twin.
// Exp is our own (FastExp): the runtime's Vector512.Exp(float) measured 14× slower on this machine.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels.Rows;

public interface ISimd<TV> where TV : struct
{
    static abstract int Count { get; }
    static abstract TV Load(ReadOnlySpan<float> s, int i);
    static abstract void Store(TV v, Span<float> s, int i);
    static abstract TV Splat(float x);
    static abstract TV Add(TV a, TV b);
    static abstract TV Sub(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    static abstract TV Div(TV a, TV b);
    /// <summary>a·b + c.</summary>
    static abstract TV Fma(TV a, TV b, TV c);
    static abstract TV Exp(TV a);
    /// <summary>exp for a ≤ 0 only (x − max in softmax-like kernels): FastExp.ExpNonPositive.</summary>
    static abstract TV ExpNonPositive(TV a);
    static abstract TV Sqrt(TV a);
    static abstract TV Max(TV a, TV b);
    static abstract TV Min(TV a, TV b);
    static abstract TV Abs(TV a);
    /// <summary>Lanes where lo ≤ a ≤ hi keep b, others 0.</summary>
    static abstract TV MaskInRange(TV a, float lo, float hi, TV b);
    static abstract TV CopySign(TV magnitude, TV sign);
    static abstract float Sum(TV a);
    static abstract float HMax(TV a);
}

public readonly struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ReadOnlySpan<float> s, int i) => Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> v, Span<float> s, int i) => v.StoreUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);
    public static Vector512<float> Splat(float x) => Vector512.Create(x);
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;
    public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    public static Vector512<float> Exp(Vector512<float> a) => FastExp.Exp(a);
    public static Vector512<float> ExpNonPositive(Vector512<float> a) => FastExp.ExpNonPositive(a);
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);
    public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);
    public static Vector512<float> MaskInRange(Vector512<float> a, float lo, float hi, Vector512<float> b) =>
        b & Vector512.GreaterThanOrEqual(a, Vector512.Create(lo)) & Vector512.LessThanOrEqual(a, Vector512.Create(hi));
    public static Vector512<float> CopySign(Vector512<float> m, Vector512<float> s) => Vector512.CopySign(m, s);
    public static float Sum(Vector512<float> a) => Vector512.Sum(a);
    public static float HMax(Vector512<float> a) => Simd256.HMax(Vector256.Max(a.GetLower(), a.GetUpper()));
}

public readonly struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ReadOnlySpan<float> s, int i) => Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> v, Span<float> s, int i) => v.StoreUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);
    public static Vector256<float> Splat(float x) => Vector256.Create(x);
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
    public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a / b;
    public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    public static Vector256<float> Exp(Vector256<float> a) => FastExp.Exp(a);
    public static Vector256<float> ExpNonPositive(Vector256<float> a) => FastExp.ExpNonPositive(a);
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);
    public static Vector256<float> MaskInRange(Vector256<float> a, float lo, float hi, Vector256<float> b) =>
        b & Vector256.GreaterThanOrEqual(a, Vector256.Create(lo)) & Vector256.LessThanOrEqual(a, Vector256.Create(hi));
    public static Vector256<float> CopySign(Vector256<float> m, Vector256<float> s) => Vector256.CopySign(m, s);
    public static float Sum(Vector256<float> a) => Vector256.Sum(a);
    public static float HMax(Vector256<float> a)
    {
        var h = Vector128.Max(a.GetLower(), a.GetUpper());
        h = Vector128.Max(h, Vector128.Shuffle(h, Vector128.Create(2, 3, 0, 1)));
        h = Vector128.Max(h, Vector128.Shuffle(h, Vector128.Create(1, 0, 3, 2)));
        return h.ToScalar();
    }
}

public enum SimdWidth { Scalar, V256, V512 }

public static class Simd
{
    static readonly SimdWidth Best =
        Vector512.IsHardwareAccelerated ? SimdWidth.V512 : Vector256.IsHardwareAccelerated ? SimdWidth.V256 : SimdWidth.Scalar;
    [ThreadStatic] static SimdWidth? _override;

    /// <summary>The widest accelerated width, unless this thread forced a narrower one (tests cover every path).</summary>
    public static SimdWidth Width => _override ?? Best;

    /// <summary>Forces the width for row kernels called on this thread (null: back to the best).</summary>
    public static void ForceOnThisThread(SimdWidth? width) => _override = width;
}
