// Reverse-mode autograd. Each op output that depends on a tensor with RequiresGrad records its inputs and a
// backward closure (Tensor.MarkNode); Backward() orders the reachable nodes topologically (iterative DFS) and
// runs the closures in reverse. Rule (as llm.c): every backward ACCUMULATES (+=) into its inputs' Grad.
// The no-grad scope is THREAD-STATIC: it covers ops run on the thread that opened it (do not await inside a
// NoGrad scope and continue on another thread). Ops' internal Parallel.For never records anything.
namespace Rethinker.Tensors;

public static class Autograd
{
    [ThreadStatic] static int _noGradDepth;
    [ThreadStatic] static List<Tensor>? _order;
    [ThreadStatic] static Stack<(Tensor T, int Next)>? _stack;
    static int _epoch;

    sealed class NoGradScope : IDisposable
    {
        public static readonly NoGradScope Instance = new();
        public void Dispose() => _noGradDepth--;
    }

    /// <summary>Opens a scope in which ops record nothing (inference, rollouts). Dispose to close; scopes nest.</summary>
    public static IDisposable NoGrad()
    {
        _noGradDepth++;
        return NoGradScope.Instance;
    }

    public static bool IsEnabled => _noGradDepth == 0;

    /// <summary>Whether an op with these inputs must record a node.</summary>
    internal static bool Needs(Tensor a) => _noGradDepth == 0 && a.RequiresGrad;
    internal static bool Needs(Tensor a, Tensor b) => _noGradDepth == 0 && (a.RequiresGrad || b.RequiresGrad);
    internal static bool Needs(Tensor a, Tensor b, Tensor c) => _noGradDepth == 0 && (a.RequiresGrad || b.RequiresGrad || c.RequiresGrad);

    internal static void RunBackward(Tensor root, bool retainGraph)
    {
        if (root.Length != 1)
            throw new InvalidOperationException($"Backward: needs a scalar (one element), got {Shapes.Str(root.Shape)}");
        if (!root.RequiresGrad)
            throw new InvalidOperationException("Backward: the tensor does not require grad (no parameter on its graph, or made under NoGrad)");
        var order = TopologicalOrder(root);
        root.GradSpan()[0] += 1f;
        bool debug = TensorDebug.CheckEnabled;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (t.BackwardFn is null || !t.HasGrad) continue;
            var t0 = OpProfiler.BeginBackward();
            t.BackwardFn();
            OpProfiler.EndBackward(t, t0);
            if (debug)
                foreach (var p in t.Parents!)
                    if (p.HasGrad) TensorDebug.Check(p.Grad!, $"gradient of an input of {t.Op}");
        }
        // Gradients of intermediates are transient (as torch): released after every pass, so a retained graph
        // can be walked again without double counting. Without retainGraph the intermediates' values go too.
        foreach (var t in order)
        {
            if (t.IsLeaf) continue;
            t.ReleaseGrad();
            if (retainGraph) continue;
            t.DropGraph();
            if (!ReferenceEquals(t, root)) t.Dispose();
        }
        order.Clear();
    }

    /// <summary>Nodes reachable from root (leaves included), inputs before outputs.</summary>
    static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = _order ??= new List<Tensor>();
        var stack = _stack ??= new Stack<(Tensor, int)>();
        order.Clear();
        int mark = Interlocked.Increment(ref _epoch);
        root.VisitMark = mark;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var ps = t.Parents;
            if (ps is not null && next < ps.Length)
            {
                stack.Push((t, next + 1));
                var p = ps[next];
                if (p.RequiresGrad && p.VisitMark != mark)
                {
                    p.VisitMark = mark;
                    stack.Push((p, 0));
                }
                continue;
            }
            order.Add(t);
        }
        return order;
    }
}
