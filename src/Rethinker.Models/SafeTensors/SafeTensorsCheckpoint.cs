// A checkpoint's tensors across one `model.safetensors` or shards listed in `model.safetensors.index.json`
// (HF layout: {"metadata": {"total_size": N}, "weight_map": {name: shard file}}). Reading maps each shard;
// saving splits into shards of at most maxShardBytes (HF names model-0000i-of-0000N.safetensors).
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rethinker.Models.SafeTensors;

public sealed class SafeTensorsCheckpoint : IDisposable
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    readonly List<SafeTensorsFile> _files = new();
    readonly Dictionary<string, SafeTensorsFile> _owner = new(StringComparer.Ordinal);

    public string Directory { get; }
    /// <summary>Tensor names in file/header order.</summary>
    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<SafeTensorsFile> Files => _files;

    SafeTensorsCheckpoint(string dir)
    {
        Directory = dir;
        var names = new List<string>();
        try
        {
            string index = System.IO.Path.Combine(dir, IndexFileName);
            string single = System.IO.Path.Combine(dir, SingleFileName);
            if (System.IO.File.Exists(index)) OpenSharded(index, names);
            else if (System.IO.File.Exists(single))
            {
                var f = SafeTensorsFile.Open(single);
                _files.Add(f);
                foreach (var e in f.Entries) { _owner[e.Name] = f; names.Add(e.Name); }
            }
            else throw new FileNotFoundException($"{dir}: no {SingleFileName} or {IndexFileName} in the model directory");
        }
        catch
        {
            Dispose();
            throw;
        }
        Names = names;
    }

    public static SafeTensorsCheckpoint Open(string directory) => new(directory);

    void OpenSharded(string index, List<string> names)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(System.IO.File.ReadAllText(index)); }
        catch (JsonException e) { throw new SafeTensorsFormatException($"{index}: not valid JSON ({e.Message})"); }
        if (root?["weight_map"] is not JsonObject map)
            throw new SafeTensorsFormatException($"{index}: missing object 'weight_map'");
        var byShard = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        foreach (var (name, node) in map)
        {
            string shard = node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>()
                : throw new SafeTensorsFormatException($"{index}: weight_map entry '{name}' is not a file name");
            if (shard.Contains('/') || shard.Contains('\\') || shard.Contains(".."))
                throw new SafeTensorsFormatException($"{index}: weight_map entry '{name}' names '{shard}', which is not a file in the model directory");
            if (!byShard.TryGetValue(shard, out var f))
            {
                string path = System.IO.Path.Combine(Directory, shard);
                if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"{index}: shard '{shard}' (holding '{name}') is missing", path);
                f = SafeTensorsFile.Open(path);
                byShard[shard] = f;
                _files.Add(f);
            }
            if (!f.Contains(name)) throw new SafeTensorsFormatException($"{index}: tensor '{name}' is mapped to '{shard}', which does not hold it");
            _owner[name] = f;
            names.Add(name);
        }
    }

    public bool Contains(string name) => _owner.ContainsKey(name);

    public SafeTensorEntry Entry(string name) => FileOf(name).Entry(name);

    public SafeTensorsFile FileOf(string name) =>
        _owner.TryGetValue(name, out var f) ? f : throw new KeyNotFoundException($"{Directory}: checkpoint holds no tensor '{name}'");

    public void ReadSingle(string name, Span<float> dst) => FileOf(name).ReadSingle(name, dst);

    public long TotalBytes => _files.Sum(f => f.Entries.Sum(e => e.End - e.Begin));

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
        _files.Clear();
    }

    /// <summary>Writes <paramref name="tensors"/> as model.safetensors, or as shards + index when they exceed <paramref name="maxShardBytes"/>.</summary>
    public static void Save(string directory, IReadOnlyList<SafeTensorWrite> tensors, long maxShardBytes = 5_000_000_000,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        metadata ??= new Dictionary<string, string> { ["format"] = "pt" };
        long total = tensors.Sum(t => t.ByteLength);
        string index = System.IO.Path.Combine(directory, IndexFileName);
        if (total <= maxShardBytes)
        {
            SafeTensorsWriter.Write(System.IO.Path.Combine(directory, SingleFileName), tensors, metadata);
            if (System.IO.File.Exists(index)) System.IO.File.Delete(index);
            return;
        }
        var shards = new List<List<SafeTensorWrite>> { new() };
        long current = 0;
        foreach (var t in tensors)
        {
            if (current > 0 && current + t.ByteLength > maxShardBytes) { shards.Add(new()); current = 0; }
            shards[^1].Add(t);
            current += t.ByteLength;
        }
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            string file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            SafeTensorsWriter.Write(System.IO.Path.Combine(directory, file), shards[i], metadata);
            foreach (var t in shards[i]) weightMap[t.Name] = file;
        }
        var root = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = total },
            ["weight_map"] = new JsonObject(weightMap.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        System.IO.File.WriteAllText(index, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        string single = System.IO.Path.Combine(directory, SingleFileName);
        if (System.IO.File.Exists(single)) System.IO.File.Delete(single);
    }
}
