using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClickstreamApi.Analytics;

/// <summary>A page and how many events it had in a window.</summary>
public sealed record PageCount(string Page, long Count);

/// <summary>
/// Event counts per page for one time bucket, with a cap on distinct pages: pages come from
/// outside producers, so without a cap a stream of made-up paths would grow memory without end.
/// Beyond the cap, new pages are counted under <see cref="OtherPage"/>. One thread only.
/// </summary>
internal sealed class PageCounts(int maxPages)
{
    /// <summary>The key that collects pages beyond the cap.</summary>
    public const string OtherPage = "(other)";

    public const int DefaultMaxPages = 10_000;

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Events counted since the last <see cref="Clear"/>.</summary>
    public long Total { get; private set; }

    /// <summary>Distinct keys, including <see cref="OtherPage"/> once the cap is reached (so at most the cap plus one).</summary>
    public int Keys => _counts.Count;

    public Dictionary<string, long> Counts => _counts;

    /// <summary>
    /// Counts one event for <paramref name="page"/> and returns the key it was counted under:
    /// the page itself, or <see cref="OtherPage"/> (a different reference) when the cap is reached.
    /// </summary>
    public string Add(string page)
    {
        Total++;
        ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, page);
        if (!Unsafe.IsNullRef(ref count))
        {
            count++;
            return page;
        }

        var key = _counts.Count >= maxPages ? OtherPage : page;
        CollectionsMarshal.GetValueRefOrAddDefault(_counts, key, out _)++;
        return key;
    }

    public void Clear()
    {
        _counts.Clear();
        Total = 0;
    }
}

/// <summary>Picks the largest counts without sorting everything: a bounded heap of the best so far.</summary>
internal static class TopPageCounts
{
    public static IReadOnlyList<PageCount> Select(Dictionary<string, long> counts, int top)
    {
        if (top <= 0 || counts.Count == 0)
        {
            return [];
        }

        // Min-heap on "worse": its root is the weakest of the best so far, replaced by anything better.
        var heap = new PriorityQueue<string, (long Count, string Page)>(Math.Min(top, counts.Count), WorseFirst.Instance);
        foreach (var (page, count) in counts)
        {
            if (heap.Count < top)
            {
                heap.Enqueue(page, (count, page));
            }
            else if (heap.TryPeek(out _, out var weakest) && WorseFirst.Instance.Compare(weakest, (count, page)) < 0)
            {
                heap.DequeueEnqueue(page, (count, page));
            }
        }

        var result = new PageCount[heap.Count];
        for (var i = result.Length - 1; heap.TryDequeue(out var page, out var priority); i--)
        {
            result[i] = new PageCount(page, priority.Count);
        }

        return result;
    }

    /// <summary>Lower count first; on equal counts the later page name first, so the final order is count desc, page asc.</summary>
    private sealed class WorseFirst : IComparer<(long Count, string Page)>
    {
        public static readonly WorseFirst Instance = new();

        public int Compare((long Count, string Page) x, (long Count, string Page) y)
        {
            var byCount = x.Count.CompareTo(y.Count);
            return byCount != 0 ? byCount : string.CompareOrdinal(y.Page, x.Page);
        }
    }
}
