namespace ClickstreamApi.Analytics;

/// <summary>One 15-second event-time window.</summary>
/// <param name="Start">Inclusive start (UTC).</param>
/// <param name="End">Exclusive end (UTC).</param>
/// <param name="Total">Events that occurred in the window.</param>
/// <param name="DistinctPages">Distinct pages in the window (<c>(other)</c> counts as one).</param>
/// <param name="TopPages">The busiest pages, by count descending, then page.</param>
public sealed record TumblingWindowSnapshot(
    DateTimeOffset Start,
    DateTimeOffset End,
    long Total,
    int DistinctPages,
    IReadOnlyList<PageCount> TopPages);

/// <summary>Event-time windows, newest first, with what happened to events that did not fit.</summary>
/// <param name="Windows">The newest windows, newest first; a window with no events has a total of 0.</param>
/// <param name="LateAccepted">Events that arrived after a newer window had begun but were still counted in their own; since start.</param>
/// <param name="TooLate">Events whose window had already been dropped, not counted; since start.</param>
/// <param name="TooEarly">Events that occurred more than 60 s after the consumer's clock (clock skew), not counted; since start.</param>
/// <param name="Overflowed">Events counted under <c>(other)</c> because their window already had the maximum of distinct pages; since start.</param>
public sealed record TumblingWindowsSnapshot(
    IReadOnlyList<TumblingWindowSnapshot> Windows,
    long LateAccepted,
    long TooLate,
    long TooEarly,
    long Overflowed);

/// <summary>
/// Page counts in 15-second tumbling windows by event time (<c>occurredAt</c>), keeping the last
/// <c>windowsKept</c> windows up to the newest one seen. Event time lets late events land in the
/// window they belong to, as long as it is still kept; older ones are counted as too late rather
/// than skewing the current window. Events from more than a minute in the future are refused:
/// one producer with a wrong clock would otherwise move the newest window ahead and drop every
/// real one. Windows follow the events, not the wall clock: with no events, they stay put.
/// Single-threaded: the consumer thread records and takes snapshots.
/// </summary>
public sealed class TumblingWindows
{
    public const int DefaultWindowsKept = 20;

    /// <summary>Length of each window.</summary>
    public static readonly TimeSpan WindowLength = TimeSpan.FromSeconds(15);

    /// <summary>How far in the future of the consumer's clock an event may have occurred and still count.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    private readonly TimeBuckets<PageCounts> _windows;
    private long _oldestSeen = long.MaxValue;
    private long _lateAccepted;
    private long _tooLate;
    private long _tooEarly;
    private long _overflowed;

    /// <param name="windowsKept">Windows kept, up to and including the newest (20 × 15 s = 5 minutes).</param>
    /// <param name="maxPagesPerWindow">Distinct pages one window holds before counting the rest as <c>(other)</c>.</param>
    public TumblingWindows(int windowsKept = DefaultWindowsKept, int maxPagesPerWindow = PageCounts.DefaultMaxPages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowsKept, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPagesPerWindow, 1);
        _windows = new(windowsKept, WindowLength, () => new PageCounts(maxPagesPerWindow), static counts => counts.Clear());
    }

    /// <summary>Counts one event on <paramref name="page"/> that occurred at <paramref name="occurredAt"/>, seen at <paramref name="now"/>.</summary>
    public void Record(string page, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if (occurredAt.UtcTicks - now.UtcTicks > MaxClockSkew.Ticks)
        {
            _tooEarly++;
            return;
        }

        if (_windows.For(occurredAt, out var window) is not { } counts)
        {
            _tooLate++;
            return;
        }

        if (window < _windows.Newest)
        {
            _lateAccepted++;
        }

        if (!ReferenceEquals(counts.Add(page), page))
        {
            _overflowed++;
        }

        _oldestSeen = Math.Min(_oldestSeen, window);
    }

    /// <summary>The newest <paramref name="windows"/> windows (at most the number kept, none before the first event), newest first, with the <paramref name="top"/> pages of each.</summary>
    public TumblingWindowsSnapshot Snapshot(int windows, int top)
    {
        var list = new List<TumblingWindowSnapshot>(Math.Clamp(windows, 0, _windows.Slots));
        var newest = _windows.Newest;
        var oldest = Math.Max(newest - Math.Min(windows, _windows.Slots) + 1, _oldestSeen);
        for (var window = newest; window >= oldest; window--)
        {
            var start = _windows.StartOf(window);
            list.Add(_windows.TryGet(window, out var counts)
                ? new TumblingWindowSnapshot(start, start + WindowLength, counts.Total, counts.Keys, TopPageCounts.Select(counts.Counts, top))
                : new TumblingWindowSnapshot(start, start + WindowLength, 0, 0, []));
        }

        return new TumblingWindowsSnapshot(list, _lateAccepted, _tooLate, _tooEarly, _overflowed);
    }
}
