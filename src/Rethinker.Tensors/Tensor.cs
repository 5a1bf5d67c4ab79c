// The float32 tensor: contiguous, row-major, pooled storage (TensorPool), and the autograd bookkeeping
// (which op made it, its inputs, its backward) that Autograd walks in reverse. Leaves are tensors made by the
// factories; op outputs that depend on a leaf with RequiresGrad are graph nodes, released by Backward()
// unless retainGraph is set. No strides: transposes are explicit copies, reshape is a free view.
using System.Runtime.CompilerServices;

namespace Rethinker.Tensors;

public sealed class Tensor : IDisposable
{
    Storage? _storage;
    readonly int[] _shape;
    Tensor? _grad;
    bool _requiresGrad;

    // graph bookkeeping (non-leaf tensors only)
    internal Tensor[]? Parents;
    internal Action? BackwardFn;
    internal string? Op;
    internal int VisitMark;
    internal Tensor? Saved;      // statistics an op keeps for its backward (rstd, lse, argmax), pooled

    internal Tensor(int[] shape, Storage storage)
    {
        _shape = shape;
        Length = Shapes.Product(shape, "Tensor");
        _storage = storage;
    }

    /// <summary>An uninitialised pooled tensor (op outputs; every element is written by the op).</summary>
    internal static Tensor Empty(int[] shape)
    {
        int n = Shapes.Product(shape, "Tensor");
        return new Tensor(shape, new Storage(TensorPool.Rent(n)));
    }

    internal static Tensor ZerosInternal(int[] shape)
    {
        var t = Empty(shape);
        t.Span.Clear();
        return t;
    }

    public int[] Shape => _shape;
    public int Rank => _shape.Length;
    public int Length { get; }

    public Span<float> Span
    {
        get
        {
            var d = _storage?.Data ?? throw Released();
            return new Span<float>(d, 0, Length);
        }
    }

    /// <summary>The backing pooled array (length ≥ Length is not guaranteed beyond Length; use Span).</summary>
    internal float[] Data => _storage?.Data ?? throw Released();

    internal bool IsReleased => _storage?.Data is null;

    Exception Released() => new ObjectDisposedException(
        $"tensor{(Name is null ? "" : $" '{Name}'")} {Shapes.Str(_shape)}{(Op is null ? "" : $" (output of {Op})")}",
        "its storage was disposed, or released by Backward(); call Detach() before Backward() to keep values");

    /// <summary>Whether gradients flow to this tensor. Settable on leaves only (parameters, inputs).</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (BackwardFn is not null && !value)
                throw new InvalidOperationException($"RequiresGrad: cannot clear it on the output of {Op}; use Detach()");
            _requiresGrad = value;
        }
    }

    internal void MarkNode(string op, Tensor[] parents, Action backward)
    {
        _requiresGrad = true;
        Op = op;
        Parents = parents;
        BackwardFn = backward;
    }

    internal bool IsLeaf => BackwardFn is null;

    public Tensor? Grad => _grad;
    public string? Name { get; set; }

    public int Dim(int axis) => _shape[Shapes.Axis(axis, Rank, "Dim")];

    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item: tensor has shape {Shapes.Str(_shape)}, not a single element");
        return Span[0];
    }

    public float[] ToArray() => Span.ToArray();

    /// <summary>Gradient buffer for accumulation (+=); allocated zeroed from the pool on first use.</summary>
    internal Span<float> GradSpan()
    {
        _grad ??= ZerosInternal(_shape);
        return _grad.Span;
    }

    internal bool HasGrad => _grad is not null;

    /// <summary>Gradient buffer for a backward that can write instead of accumulate: when no gradient exists yet an
    /// UNINITIALISED buffer is rented and <paramref name="overwrite"/> is true (the caller must then write every
    /// element, with = rather than +=); otherwise the existing buffer, to accumulate into. Saves a zero-fill and a read.</summary>
    internal Span<float> GradOut(out bool overwrite)
    {
        overwrite = _grad is null;
        _grad ??= Empty(_shape);
        return _grad.Span;
    }

    /// <summary>Makes this graph node's gradient a view of <paramref name="source"/>'s storage (no copy) when it has none
    /// yet: for ops whose input gradient equals their output gradient element for element (Reshape). The source must be
    /// final (the output's own backward is running, so nothing adds to it later); false for leaves or an existing gradient.</summary>
    internal bool TryAliasGrad(Tensor source)
    {
        if (_grad is not null || IsLeaf || source.Length != Length) return false;
        _grad = source.ViewAs((int[])_shape.Clone());
        return true;
    }

    /// <summary>Seeds dL/dself = 1 and runs the recorded backward functions in reverse topological order.
    /// Afterwards the intermediate graph tensors are released to the pool (their values and gradients become
    /// unreadable); parameters keep their accumulated Grad.</summary>
    public void Backward() => Autograd.RunBackward(this, retainGraph: false);

    /// <summary>Backward that keeps the graph (and the intermediate values) alive when retainGraph is true,
    /// so a second loss sharing it can backpropagate too; intermediate grads still accumulate.</summary>
    public void Backward(bool retainGraph) => Autograd.RunBackward(this, retainGraph);

    /// <summary>Sets the gradient to zero (keeps the buffer for reuse).</summary>
    public void ZeroGrad() => _grad?.Span.Clear();

    /// <summary>Drops the gradient buffer back to the pool.</summary>
    internal void ReleaseGrad()
    {
        _grad?.Dispose();
        _grad = null;
    }

    internal void DropGraph()
    {
        Parents = null;
        BackwardFn = null;
        Saved?.Dispose();
        Saved = null;
    }

    /// <summary>A copy with no tape and RequiresGrad = false.</summary>
    public Tensor Detach()
    {
        var t = Empty((int[])_shape.Clone());
        Span.CopyTo(t.Span);
        t.Name = Name;
        return t;
    }

    /// <summary>A view of the same storage with another shape (same Length).</summary>
    internal Tensor ViewAs(int[] shape)
    {
        var s = _storage ?? throw Released();
        s.AddRef();
        return new Tensor(shape, s);
    }

    public void Dispose()
    {
        var s = _storage;
        _storage = null;
        s?.Release();
        ReleaseGrad();
        DropGraph();
    }

    // ---- factories ----
    public static Tensor Zeros(params int[] shape) => ZerosInternal(Shapes.Copy(shape, "Zeros"));
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    public static Tensor Full(float value, params int[] shape)
    {
        var t = Empty(Shapes.Copy(shape, "Full"));
        t.Span.Fill(value);
        return t;
    }

    public static Tensor FromArray(float[] data, params int[] shape) => FromSpan(data, shape);

    public static Tensor FromSpan(ReadOnlySpan<float> data, params int[] shape)
    {
        var s = Shapes.Copy(shape, "FromSpan");
        int n = Shapes.Product(s, "FromSpan");
        if (n != data.Length)
            throw new ArgumentException($"FromSpan: shape {Shapes.Str(s)} holds {n} elements but data has {data.Length}");
        var t = Empty(s);
        data.CopyTo(t.Span);
        return t;
    }

    public static Tensor Parameter(float[] data, params int[] shape)
    {
        var t = FromSpan(data, shape);
        t.RequiresGrad = true;
        return t;
    }

    public override string ToString() =>
        $"Tensor{(Name is null ? "" : $" '{Name}'")} {Shapes.Str(_shape)}{(Op is null ? "" : $" <{Op}>")}";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref float At(int i) => ref Data[i];
}
