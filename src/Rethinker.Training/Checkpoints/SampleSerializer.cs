// Binary (de)serialization of rollout samples, so the SSR replay buffer survives a checkpoint exactly:
// tokens, masks, stored old/ref log-probs, advantage, step and flags. Images are stored once per
// distinct instance (a group shares its prompt's images).
using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;
using Rethinker.Training.Grpo;

namespace Rethinker.Training.Checkpoints;

public static class SampleSerializer
{
    const int Magic = 0x52504C31; // "RPL1"

    public static void Write(string path, IReadOnlyList<RolloutSample> samples)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var w = new BinaryWriter(fs);
        var images = new List<RgbImage>();
        var imageIndex = new Dictionary<RgbImage, int>(ReferenceEqualityComparer.Instance);
        foreach (var s in samples)
            foreach (var im in s.Images)
                if (imageIndex.TryAdd(im, images.Count)) images.Add(im);
        w.Write(Magic);
        w.Write(images.Count);
        foreach (var im in images) { w.Write(im.Width); w.Write(im.Height); w.Write(im.Pixels.Length); w.Write(im.Pixels); }
        w.Write(samples.Count);
        foreach (var s in samples)
        {
            w.Write(s.GroupId); w.Write(s.PromptId); w.Write(s.SampleIndex); w.Write(s.Step);
            Ints(w, s.PromptTokenIds);
            w.Write(s.Images.Count); foreach (var im in s.Images) w.Write(imageIndex[im]);
            Ints(w, s.ResponseTokenIds); Floats(w, s.PolicyMask); w.Write(s.Text); w.Write((int)s.Finish);
            Floats(w, s.RolloutLogProbs); Floats(w, s.OldLogProbs); Floats(w, s.RefLogProbs);
            w.Write(s.Reward); w.Write(s.Correct); w.Write(s.Advantage);
            w.Write(s.RewardComponents.Count); foreach (var (k, v) in s.RewardComponents) { w.Write(k); w.Write(v); }
            w.Write(s.Rethought); w.Write(s.TriggerStart); w.Write(s.TriggerLength); w.Write(s.OriginalCorrect); w.Write(s.NativeMarkers);
        }
        fs.Flush(flushToDisk: true);
    }

    public static List<RolloutSample> Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        if (r.ReadInt32() != Magic) throw new InvalidDataException($"{path}: not a replay buffer file (bad magic)");
        var images = new RgbImage[r.ReadInt32()];
        for (int i = 0; i < images.Length; i++)
        {
            int wdt = r.ReadInt32(), h = r.ReadInt32(), n = r.ReadInt32();
            images[i] = RgbImage.Create(wdt, h, r.ReadBytes(n));
        }
        var result = new List<RolloutSample>(r.ReadInt32());
        for (int c = result.Capacity; c > 0; c--)
        {
            string group = r.ReadString(), prompt = r.ReadString();
            int index = r.ReadInt32(), step = r.ReadInt32();
            int[] promptIds = ReadInts(r);
            var ims = new RgbImage[r.ReadInt32()];
            for (int i = 0; i < ims.Length; i++) ims[i] = images[r.ReadInt32()];
            var s = new RolloutSample
            {
                GroupId = group, PromptId = prompt, SampleIndex = index, Step = step, PromptTokenIds = promptIds, Images = ims,
                ResponseTokenIds = ReadInts(r), PolicyMask = ReadFloats(r), Text = r.ReadString(), Finish = (FinishReason)r.ReadInt32(),
            };
            s.RolloutLogProbs = ReadFloats(r); s.OldLogProbs = ReadFloats(r); s.RefLogProbs = ReadFloats(r);
            s.Reward = r.ReadSingle(); s.Correct = r.ReadBoolean(); s.Advantage = r.ReadSingle();
            var comps = new Dictionary<string, float>();
            for (int n = r.ReadInt32(); n > 0; n--) comps[r.ReadString()] = r.ReadSingle();
            s.RewardComponents = comps;
            s.Rethought = r.ReadBoolean(); s.TriggerStart = r.ReadInt32(); s.TriggerLength = r.ReadInt32();
            s.OriginalCorrect = r.ReadBoolean(); s.NativeMarkers = r.ReadInt32();
            result.Add(s);
        }
        return result;
    }

    static void Ints(BinaryWriter w, int[] a) { w.Write(a.Length); foreach (int x in a) w.Write(x); }
    static void Floats(BinaryWriter w, float[] a) { w.Write(a.Length); foreach (float x in a) w.Write(x); }
    static int[] ReadInts(BinaryReader r) { var a = new int[r.ReadInt32()]; for (int i = 0; i < a.Length; i++) a[i] = r.ReadInt32(); return a; }
    static float[] ReadFloats(BinaryReader r) { var a = new float[r.ReadInt32()]; for (int i = 0; i < a.Length; i++) a[i] = r.ReadSingle(); return a; }
}
