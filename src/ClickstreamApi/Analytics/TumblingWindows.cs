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

    private const long NoWindow = -1;

    private readonly int _kept;
    private readonly long[] _windowNumbers;
    private readonly PageCounts[] _windows;
    private long _newest = NoWindow;
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
        _kept = windowsKept;
        _windowNumbers = new long[windowsKept];
        Array.Fill(_windowNumbers, NoWindow);
        _windows = new PageCounts[windowsKept];
        for (var i = 0; i < windowsKept; i++)
        {
            _windows[i] = new PageCounts(maxPagesPerWindow);
        }
    }

    /// <summary>Counts one event on <paramref name="page"/> that occurred at <paramref name="occurredAt"/>, seen at <paramref name="now"/>.</summary>
    public void Record(string page, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if (occurredAt.UtcTicks - now.UtcTicks > MaxClockSkew.Ticks)
        {
            _tooEarly++;
            return;
        }

        var window = occurredAt.UtcTicks / WindowLength.Ticks;
        _newest = Math.Max(_newest, window);
        if (window <= _newest - _kept)
        {
            _tooLate++;
            return;
        }

        if (window < _newest)
        {
            _lateAccepted++;
        }

        var slot = (int)(window % _kept);
        if (_windowNumbers[slot] != window)
        {
            // The slot held a window at least a ring older, no longer kept: reuse it.
            _windows[slot].Clear();
            _windowNumbers[slot] = window;
        }

        if (!ReferenceEquals(_windows[slot].Add(page), page))
        {
            _overflowed++;
        }

        _oldestSeen = Math.Min(_oldestSeen, window);
    }

    /// <summary>The newest <paramref name="windows"/> windows (at most the number kept, none before the first event), newest first, with the <paramref name="top"/> pages of each.</summary>
    public TumblingWindowsSnapshot Snapshot(int windows, int top)
    {
        var list = new List<TumblingWindowSnapshot>(Math.Clamp(windows, 0, _kept));
        var oldest = Math.Max(_newest - Math.Min(windows, _kept) + 1, _oldestSeen);
        for (var window = _newest; window >= oldest; window--)
        {
            var start = new DateTimeOffset(window * WindowLength.Ticks, TimeSpan.Zero);
            var slot = (int)(window % _kept);
            list.Add(_windowNumbers[slot] == window
                ? new TumblingWindowSnapshot(
                    start,
                    start + WindowLength,
                    _windows[slot].Total,
                    _windows[slot].Keys,
                    TopPageCounts.Select(_windows[slot].Counts, top))
                : new TumblingWindowSnapshot(start, start + WindowLength, 0, 0, []));
        }

        return new TumblingWindowsSnapshot(list, _lateAccepted, _tooLate, _tooEarly, _overflowed);
    }
}
