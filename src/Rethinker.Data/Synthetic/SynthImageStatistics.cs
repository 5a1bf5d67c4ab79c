// The channel statistics of a `data synth` folder's training images: `data synth` records them in manifest.json
// (image_mean / image_std) and `model init` reads them back into the tiny model's preprocessor_config.json, because
// CLIP's natural-image values make the mostly white synthetic images a constant input (see ChannelStatistics).
// A manifest written before these fields existed falls back to measuring images/train/*.png, which gives the same
// numbers: the PNGs are lossless and their names sort in generation order.
using System.Text.Json;
using System.Text.Json.Nodes;
using Rethinker.Models.Imaging;

namespace Rethinker.Data.Synthetic;

/// <summary>Statistics and where they came from (a manifest, or the images measured), for the user to see.</summary>
public sealed record SourcedStatistics(ChannelStatistics Statistics, string Source);

public static class SynthImageStatistics
{
    /// <summary>Images measured: the first 512 training images (a stable mean at ≥ 56² pixels each, and cheap).</summary>
    public const int MaxImages = 512;
    public const string MeanField = "image_mean", StdField = "image_std";

    public static ChannelStatistics Measure(IEnumerable<RgbImage> trainImages) => ChannelStatistics.Of(trainImages.Take(MaxImages));

    /// <summary>A folder <see cref="Read"/> can take statistics from: a manifest, or training images to measure.</summary>
    public static bool CanRead(string synthDir) =>
        File.Exists(Path.Combine(synthDir, "manifest.json")) || Directory.Exists(Path.Combine(synthDir, "images", "train"));

    /// <summary>The manifest's image_mean / image_std, or, when it has neither, the measured training images.</summary>
    /// <exception cref="InvalidDataException">A field is malformed or alone, or there is nothing to measure; the message names the file.</exception>
    public static SourcedStatistics Read(string synthDir)
    {
        string manifest = Path.Combine(synthDir, "manifest.json");
        if (File.Exists(manifest) && FromManifest(manifest) is { } stats) return new(stats, manifest);
        return FromImages(synthDir);
    }

    /// <summary>Null when the manifest predates the fields (neither is present).</summary>
    static ChannelStatistics? FromManifest(string path)
    {
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
        bool hasMean = root.ContainsKey(MeanField), hasStd = root.ContainsKey(StdField);
        if (!hasMean && !hasStd) return null;
        if (hasMean != hasStd)
            throw new InvalidDataException($"{path}: has {(hasMean ? MeanField : StdField)} but no {(hasMean ? StdField : MeanField)}; regenerate with `rethinker data synth` or delete both to measure the images");
        return new ChannelStatistics(Triple(path, root, MeanField, v => v is >= 0 and <= 1, "in [0, 1]"),
                                     Triple(path, root, StdField, v => v > 0, "> 0"));
    }

    static float[] Triple(string path, JsonObject root, string field, Func<float, bool> valid, string range)
    {
        var node = root[field];
        var values = (node as JsonArray)?.Select(x => x is JsonValue v && v.TryGetValue(out double d) ? (float)d : float.NaN).ToArray();
        if (values is not { Length: 3 } || !values.All(v => float.IsFinite(v) && valid(v)))
            throw new InvalidDataException($"{path}: {field} must be 3 numbers {range} (R, G, B), got {node?.ToJsonString() ?? "null"}");
        return values;
    }

    static SourcedStatistics FromImages(string synthDir)
    {
        string dir = Path.Combine(synthDir, "images", "train");
        var files = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.png").Order(StringComparer.Ordinal).Take(MaxImages).ToList() : [];
        if (files.Count == 0)
            throw new InvalidDataException($"{synthDir}: no manifest.json with {MeanField}/{StdField} and no images/train/*.png to measure; expected a `rethinker data synth` folder");
        try { return new(ChannelStatistics.Of(files.Select(f => ImageLoader.Load(f))), $"{files.Count} images in {dir}"); }
        catch (ImageFormatException e) { throw new InvalidDataException(e.Message, e); }
    }
}
