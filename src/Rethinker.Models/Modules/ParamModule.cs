// Base of the model's modules: parameters created through a ModelBuild, so the same constructor code gives a
// real module or a meta one (names and shapes only). ParameterShapes() walks both kinds identically, which is
// what the approval test of the 7B/72B parameter lists uses.
using Rethinker.Tensors;
using Rethinker.Tensors.Nn;

namespace Rethinker.Models.Modules;

public abstract class ParamModule : Module
{
    readonly List<(string Name, int[] Shape)> _own = [];
    readonly List<(string Name, ParamModule Child)> _kids = [];

    protected ParamModule(ModelBuild build) => Build = build;

    protected ModelBuild Build { get; }
    public bool IsMeta => Build.Meta;

    protected Tensor Param(string name, int[] shape, ParamInit init)
    {
        _own.Add((name, (int[])shape.Clone()));
        var t = Build.Create(shape, init);
        return Build.Meta ? t : Register(name, t);
    }

    protected T Child<T>(string name, T child) where T : ParamModule
    {
        _kids.Add((name, child));
        return Register(name, child);
    }

    /// <summary>Every parameter's dotted name and shape in definition order (also for meta modules).</summary>
    public IEnumerable<(string Name, int[] Shape)> ParameterShapes(string prefix = "")
    {
        foreach (var (n, s) in _own) yield return (prefix + n, s);
        foreach (var (n, c) in _kids)
            foreach (var item in c.ParameterShapes(prefix + n + "."))
                yield return item;
    }

    protected void EnsureReal()
    {
        if (Build.Meta) throw new InvalidOperationException($"{GetType().Name}: a meta (shape-only) model cannot run a forward pass");
    }
}

/// <summary>Parameter-free container (HF Sequential/ModuleList indices, grouping nodes).</summary>
public sealed class ParamList<T>(ModelBuild build) : ParamModule(build) where T : ParamModule
{
    readonly List<T> _items = [];

    public T Add(T item)
    {
        Child(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), item);
        _items.Add(item);
        return item;
    }

    /// <summary>A child under its own name (HF Sequential index "2", or an MLP's "gate_proj").</summary>
    public T AddNamed(string name, T item)
    {
        Child(name, item);
        _items.Add(item);
        return item;
    }

    public int Count => _items.Count;
    public T this[int i] => _items[i];
}
