namespace ClickstreamApi.Analytics.EventTime;

/// <summary>
/// One window's counts. Open, it counts in dictionaries and keeps the users it has seen; sealed
/// (once the allowed lateness has passed), it keeps sorted arrays and the count of users only,
/// about 8 bytes per distinct page, so a week of windows fits in memory. An event after the seal
/// reopens the counts but cannot be checked against the users any more: it is flagged.
/// </summary>
internal sealed class WindowCounts(long index)
{
    private Dictionary<int, long>? _pages = [];
    private Dictionary<int, long>? _types = [];
    private HashSet<string>? _users = new(StringComparer.Ordinal);
    private int[] _pageKeys = [];
    private long[] _pageCounts = [];
    private int[] _typeKeys = [];
    private long[] _typeCounts = [];

    public long Index { get; } = index;

    public long Events { get; private set; }

    public long Purchases { get; private set; }

    public Dictionary<string, decimal> Revenue { get; } = new(StringComparer.Ordinal);

    public long DistinctUsers { get; private set; }

    public long SessionsStarted { get; set; }

    public long SessionsEnded { get; set; }

    public long AfterLateness { get; private set; }

    public bool Sealed => _users is null;

    public void Add(in TalliedEvent e, int page, int type)
    {
        if (Sealed)
        {
            AfterLateness++;
            Unpack();
        }
        else if (_users!.Add(e.UserId))
        {
            DistinctUsers++;
        }

        Events++;
        Increment(_pages!, page);
        Increment(_types!, type);
        if (e.IsPurchase)
        {
            Purchases++;
            if (e.Amount is { } amount && e.Currency is { } currency)
            {
                Revenue[currency] = Revenue.GetValueOrDefault(currency) + amount;
            }
        }
    }

    /// <summary>The allowed lateness has passed: drop the users, pack the counts.</summary>
    public void Seal()
    {
        Pack();
        _users = null;
    }

    public WindowTotals Totals(KeyTable keys, TimeSpan length, bool final) => new(
        Start(length),
        Start(length) + length,
        Events,
        Named(keys, _pages, _pageKeys, _pageCounts),
        Named(keys, _types, _typeKeys, _typeCounts),
        SessionsStarted,
        SessionsEnded,
        Purchases,
        new SortedDictionary<string, decimal>(Revenue, StringComparer.Ordinal),
        DistinctUsers,
        final,
        AfterLateness);

    public DateTimeOffset Start(TimeSpan length) => new(DateTimeOffset.UnixEpoch.UtcTicks + (Index * length.Ticks), TimeSpan.Zero);

    private void Pack()
    {
        if (_pages is not null)
        {
            (_pageKeys, _pageCounts) = ToArrays(_pages);
            (_typeKeys, _typeCounts) = ToArrays(_types!);
            _pages = null;
            _types = null;
        }
    }

    private void Unpack()
    {
        if (_pages is null)
        {
            _pages = ToDictionary(_pageKeys, _pageCounts);
            _types = ToDictionary(_typeKeys, _typeCounts);
            _pageKeys = _typeKeys = [];
            _pageCounts = _typeCounts = [];
        }
    }

    private static void Increment(Dictionary<int, long> counts, int key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private static (int[] Keys, long[] Counts) ToArrays(Dictionary<int, long> counts)
    {
        var keys = new int[counts.Count];
        var values = new long[counts.Count];
        var i = 0;
        foreach (var (key, count) in counts)
        {
            keys[i] = key;
            values[i++] = count;
        }

        Array.Sort(keys, values);
        return (keys, values);
    }

    private static Dictionary<int, long> ToDictionary(int[] keys, long[] counts)
    {
        var dictionary = new Dictionary<int, long>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            dictionary[keys[i]] = counts[i];
        }

        return dictionary;
    }

    private static SortedDictionary<string, long> Named(KeyTable keys, Dictionary<int, long>? open, int[] packedKeys, long[] packedCounts)
    {
        var named = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (open is not null)
        {
            foreach (var (key, count) in open)
            {
                named[keys[key]] = count;
            }

            return named;
        }

        for (var i = 0; i < packedKeys.Length; i++)
        {
            named[keys[packedKeys[i]]] = packedCounts[i];
        }

        return named;
    }
}
