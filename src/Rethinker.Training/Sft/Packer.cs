// Packs variable-length examples into micro-batches under a token budget: examples are taken in (shuffled)
// data order a window at a time and placed first-fit-decreasing inside the window, which keeps batches
// nearly full without sorting the whole epoch by length. The policy packs each batch's sequences itself
// (cu_seqlens), so a batch here is just a list of examples whose token total fits the budget.
namespace Rethinker.Training.Sft;

public static class Packer
{
    /// <summary>Indices into <paramref name="lengths"/> grouped into batches with Σ length ≤ budget. Examples over budget are skipped (reported in <paramref name="skipped"/>).</summary>
    public static List<int[]> Pack(IReadOnlyList<int> order, Func<int, int> lengths, int budget, int window, out List<int> skipped)
    {
        var batches = new List<int[]>();
        skipped = [];
        for (int start = 0; start < order.Count; start += window)
        {
            var items = order.Skip(start).Take(window).Select(i => (Index: i, Len: lengths(i))).ToList();
            foreach (var over in items.Where(x => x.Len > budget)) skipped.Add(over.Index);
            var bins = new List<(List<int> Items, int Used)>();
            foreach (var (index, len) in items.Where(x => x.Len <= budget).OrderByDescending(x => x.Len).ThenBy(x => x.Index))
            {
                int b = bins.FindIndex(x => x.Used + len <= budget);
                if (b < 0) { bins.Add(([index], len)); continue; }
                bins[b].Items.Add(index);
                bins[b] = (bins[b].Items, bins[b].Used + len);
            }
            batches.AddRange(bins.Select(x => x.Items.ToArray()));
        }
        return batches;
    }
}
