// Modules hold named parameters and child modules, walked with Hugging Face dotted names
// ("model.layers.0.self_attn.q_proj.weight"). Registration order is kept, so names come out in definition order.
// State dicts are name → tensor maps; the safetensors file format lives in Rethinker.Models.
namespace Rethinker.Tensors.Nn;

public abstract class Module
{
    readonly List<(string Name, Tensor Parameter)> _parameters = [];
    readonly List<(string Name, Module Child)> _children = [];

    protected T Register<T>(string name, T child) where T : Module
    {
        CheckName(name);
        _children.Add((name, child));
        return child;
    }

    protected Tensor Register(string name, Tensor parameter)
    {
        CheckName(name);
        parameter.RequiresGrad = true;
        parameter.Name ??= name;
        _parameters.Add((name, parameter));
        return parameter;
    }

    void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.StartsWith('.') || name.EndsWith('.'))
            throw new ArgumentException($"{GetType().Name}: bad parameter/child name '{name}'");
        foreach (var (n, _) in _parameters) if (n == name) throw new ArgumentException($"{GetType().Name}: '{name}' registered twice");
        foreach (var (n, _) in _children) if (n == name) throw new ArgumentException($"{GetType().Name}: '{name}' registered twice");
    }

    /// <summary>All parameters, depth first in registration order, with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Walk("");

    IEnumerable<(string, Tensor)> Walk(string prefix)
    {
        foreach (var (n, p) in _parameters) yield return (prefix + n, p);
        foreach (var (n, c) in _children)
            foreach (var item in c.Walk(prefix + n + "."))
                yield return item;
    }

    public IEnumerable<(string Name, Module Child)> NamedChildren() => _children;

    public long ParameterCount()
    {
        long n = 0;
        foreach (var (_, p) in NamedParameters()) n += p.Length;
        return n;
    }

    /// <summary>Stops gradients for every parameter (and drops their Grad buffers' contents).</summary>
    public void Freeze()
    {
        foreach (var (_, p) in NamedParameters()) p.RequiresGrad = false;
    }

    public void Unfreeze()
    {
        foreach (var (_, p) in NamedParameters()) p.RequiresGrad = true;
    }

    /// <summary>Name → the live parameter tensor (not a copy).</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (n, p) in NamedParameters()) d[n] = p;
        return d;
    }

    /// <summary>Copies values into the parameters. With strict, missing and unexpected names are errors; shape
    /// mismatches always are. All problems are reported in one message.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var problems = new List<string>();
        var own = StateDict();
        foreach (var (name, p) in own)
        {
            if (!state.TryGetValue(name, out var src)) { if (strict) problems.Add($"missing '{name}' {Shapes.Str(p.Shape)}"); continue; }
            if (!Shapes.Equal(src.Shape, p.Shape)) problems.Add($"shape of '{name}': file {Shapes.Str(src.Shape)}, model {Shapes.Str(p.Shape)}");
        }
        if (strict)
            foreach (var name in state.Keys)
                if (!own.ContainsKey(name)) problems.Add($"unexpected '{name}'");
        if (problems.Count > 0)
            throw new ArgumentException($"LoadStateDict ({GetType().Name}): {problems.Count} problem(s): " + string.Join("; ", problems.Take(20))
                + (problems.Count > 20 ? $"; … {problems.Count - 20} more" : ""));
        foreach (var (name, p) in own)
            if (state.TryGetValue(name, out var src)) src.Span.CopyTo(p.Span);
    }
}

/// <summary>An indexed list of children named "0", "1", … (HF's nn.ModuleList: "layers.3.mlp").</summary>
public sealed class ModuleList<T> : Module where T : Module
{
    readonly List<T> _items = [];

    public ModuleList() { }

    public ModuleList(IEnumerable<T> items)
    {
        foreach (var m in items) Add(m);
    }

    public T Add(T m)
    {
        Register(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m);
        _items.Add(m);
        return m;
    }

    public int Count => _items.Count;
    public T this[int i] => _items[i];
    public IReadOnlyList<T> Items => _items;
}
