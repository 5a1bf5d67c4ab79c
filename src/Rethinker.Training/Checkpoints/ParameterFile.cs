// The trainer's exact copy of the policy's parameters (name, shape-free float data) for resume: restoring
// through NamedParameters works for any ITrainablePolicy, whatever its own save format.
using System.Runtime.InteropServices;
using Rethinker.Tensors;

namespace Rethinker.Training.Checkpoints;

public static class ParameterFile
{
    const uint Magic = 0x52505031; // "RPP1"

    public static void Write(string path, IEnumerable<(string Name, Tensor Parameter)> parameters)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var w = new BinaryWriter(fs);
        var list = parameters.ToList();
        w.Write(Magic); w.Write(list.Count);
        foreach (var (name, p) in list) { w.Write(name); w.Write(p.Length); w.Write(MemoryMarshal.AsBytes(p.Span)); }
        fs.Flush(flushToDisk: true);
    }

    /// <summary>Copies stored values into the live parameters; names and lengths must match exactly.</summary>
    public static void Read(string path, IEnumerable<(string Name, Tensor Parameter)> parameters)
    {
        var live = parameters.ToDictionary(p => p.Name, p => p.Parameter);
        using var r = new BinaryReader(File.OpenRead(path));
        if (r.ReadUInt32() != Magic) throw new InvalidDataException($"{path}: not a parameter file (bad magic)");
        int count = r.ReadInt32();
        if (count != live.Count) throw new InvalidDataException($"{path}: holds {count} parameters, the policy has {live.Count}");
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadString();
            int n = r.ReadInt32();
            if (!live.TryGetValue(name, out var p)) throw new InvalidDataException($"{path}: parameter '{name}' is not in the policy");
            if (p.Length != n) throw new InvalidDataException($"{path}: parameter '{name}' has {n} values, the policy's has {p.Length}");
            var bytes = r.ReadBytes(n * 4);
            if (bytes.Length != n * 4) throw new InvalidDataException($"{path}: truncated at parameter '{name}'");
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(p.Span);
        }
    }
}
