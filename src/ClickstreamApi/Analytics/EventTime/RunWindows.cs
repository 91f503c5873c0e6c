using System.Runtime.InteropServices;

namespace ClickstreamApi.Analytics.EventTime;

/// <summary>
/// One run's events counted in tumbling event-time windows: by page and type, purchases and
/// revenue, distinct users, and sessions (a session starts in the window of its first event and
/// ends in the window of its last, once 30 minutes of its partition's event time pass without
/// another, as a session-window job would close it). Time moves with the events: each partition has
/// a watermark (its newest event time) and the run's is the lowest, so one partition read ahead of
/// the others does not close windows the others still fill. One thread records; readers may call
/// from any thread.
/// </summary>
public sealed class RunWindows
{
    /// <summary>A session idle this long (in its own partition's event time) has ended.</summary>
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(30);

    private readonly Lock _gate = new();
    private readonly long _windowTicks;
    private readonly int _maxWindows;
    private readonly KeyTable _keys = new();
    private readonly Dictionary<long, WindowCounts> _windows = [];
    private readonly List<long> _ordered = [];
    private readonly HashSet<long> _open = [];
    private readonly Dictionary<ulong, SessionSpan> _sessions = [];
    private readonly int _maxOpenSessions;
    private readonly Dictionary<int, long> _partitionWatermarks = [];
    private long _lateness;
    private long _watermark = long.MinValue;
    private long _watermarkWindow = long.MinValue;
    private long _openSessionsFrom = long.MaxValue;
    private long _evictedBelow = long.MinValue;

    public RunWindows(string runId, WindowOptions options)
    {
        RunId = runId;
        WindowLength = options.WindowLength;
        _windowTicks = options.WindowLength.Ticks;
        _lateness = options.AllowedLateness.Ticks;
        _maxWindows = options.MaxWindowsPerRun;
        _maxOpenSessions = options.MaxOpenSessions;
    }

    public string RunId { get; }

    public TimeSpan WindowLength { get; }

    /// <summary>Events counted.</summary>
    public long Events { get; private set; }

    /// <summary>Windows dropped to keep at most Windows:MaxWindowsPerRun.</summary>
    public long EvictedWindows { get; private set; }

    /// <summary>Events in dropped windows, or whose window had been dropped when they came.</summary>
    public long EvictedEvents { get; private set; }

    /// <summary>Sessions ended at their last event before 30 minutes had passed, to keep at most Windows:MaxOpenSessions open.</summary>
    public long SessionsCutShort { get; private set; }

    /// <summary>Whether the run has ended and every window is final.</summary>
    public bool Finished { get; private set; }

    /// <summary>The lowest partition watermark: event time the run's windows have reached; null before the first event.</summary>
    public DateTimeOffset? Watermark
    {
        get
        {
            lock (_gate)
            {
                return _watermark == long.MinValue ? null : new DateTimeOffset(_watermark, TimeSpan.Zero);
            }
        }
    }

    /// <summary>Allows more lateness from now on (the generator's late faults may reach further back than configured); never less.</summary>
    public void AllowLateness(TimeSpan lateness)
    {
        lock (_gate)
        {
            _lateness = Math.Max(_lateness, lateness.Ticks);
        }
    }

    /// <summary>Counts <paramref name="e"/>, read from <paramref name="partition"/> (the generator's truth uses 0).</summary>
    public void Record(in TalliedEvent e, int partition = 0)
    {
        lock (_gate)
        {
            var ticks = e.OccurredAt.UtcTicks;
            var index = IndexOf(ticks);

            if (index < _evictedBelow)
            {
                EvictedEvents++;
                return;
            }

            var window = WindowAt(index);
            if (window.Sealed)
            {
                // Counted, flagged, and packed again at the next advance.
                _open.Add(index);
            }

            window.Add(e, _keys.Number(e.Page), _keys.Number(e.EventType));
            Events++;
            if (e.SessionId is { } session)
            {
                ref var span = ref CollectionsMarshal.GetValueRefOrAddDefault(_sessions, SessionKeys.Of(session), out var known);
                span = known
                    ? span with { First = Math.Min(span.First, ticks), Last = Math.Max(span.Last, ticks) }
                    : new SessionSpan(ticks, ticks, partition);
                if (ticks < _openSessionsFrom)
                {
                    _openSessionsFrom = ticks;
                }

                if (!known && _sessions.Count > _maxOpenSessions + (_maxOpenSessions / 2))
                {
                    // Far beyond the limit between two advances of the watermark: cut now.
                    CutShort();
                }
            }

            Advance(partition, ticks);
        }
    }

    /// <summary>The run has ended: every session ends with its last event, and every window is final.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            foreach (var (_, span) in _sessions)
            {
                Attribute(span);
            }

            _sessions.Clear();
            _openSessionsFrom = long.MaxValue;
            foreach (var index in _open)
            {
                _windows[index].Seal();
            }

            _open.Clear();
            Finished = true;
        }
    }

    /// <summary>The windows, oldest first, each taken when it is reached (long runs stream without a copy of everything).</summary>
    /// <param name="asIfEnded">
    /// Show the windows as they will be once the run has ended, without ending it: the sessions still
    /// open end with their last event, and every window is final. For a reader that knows the run is
    /// over and every message of it has been read (it cannot know from the events alone).
    /// </param>
    public IEnumerable<WindowTotals> Windows(bool asIfEnded = false)
    {
        long[] indices;
        Dictionary<long, (long Started, long Ended)>? pending = null;
        lock (_gate)
        {
            indices = [.. _ordered];
            if (asIfEnded)
            {
                pending = [];
                foreach (var (_, span) in _sessions)
                {
                    var first = IndexOf(span.First);
                    var last = IndexOf(span.Last);
                    pending[first] = (pending.GetValueOrDefault(first).Started + 1, pending.GetValueOrDefault(first).Ended);
                    pending[last] = (pending.GetValueOrDefault(last).Started, pending.GetValueOrDefault(last).Ended + 1);
                }
            }
        }

        foreach (var index in indices)
        {
            WindowTotals? totals = null;
            lock (_gate)
            {
                if (_windows.TryGetValue(index, out var window))
                {
                    totals = window.Totals(_keys, WindowLength, asIfEnded || IsFinal(window));
                    if (pending is not null && pending.TryGetValue(index, out var open))
                    {
                        totals = totals with { SessionsStarted = totals.SessionsStarted + open.Started, SessionsEnded = totals.SessionsEnded + open.Ended };
                    }
                }
            }

            if (totals is not null)
            {
                yield return totals;
            }
        }
    }

    /// <summary>One window by its start, or null when it holds no event.</summary>
    public WindowTotals? Window(DateTimeOffset start)
    {
        var index = IndexOf(start.UtcTicks);
        lock (_gate)
        {
            return _windows.TryGetValue(index, out var window) ? window.Totals(_keys, WindowLength, IsFinal(window)) : null;
        }
    }

    /// <summary>Whether counts (not sessions) of the window starting at <paramref name="start"/> are past the allowed lateness.</summary>
    public bool CountsClosed(DateTimeOffset start)
    {
        lock (_gate)
        {
            return Finished || start.UtcTicks + _windowTicks + _lateness <= _watermark;
        }
    }

    private bool IsFinal(WindowCounts window)
    {
        if (Finished)
        {
            return true;
        }

        var end = DateTimeOffset.UnixEpoch.UtcTicks + ((window.Index + 1) * _windowTicks);
        return end + _lateness + SessionTimeout.Ticks <= _watermark && end <= _openSessionsFrom;
    }

    private WindowCounts WindowAt(long index)
    {
        if (_windows.TryGetValue(index, out var window))
        {
            return window;
        }

        window = new WindowCounts(index);
        _windows.Add(index, window);
        _open.Add(index);
        if (_ordered.Count == 0 || _ordered[^1] < index)
        {
            _ordered.Add(index);
        }
        else
        {
            _ordered.Insert(~_ordered.BinarySearch(index), index);
        }

        while (_ordered.Count > _maxWindows)
        {
            var oldest = _ordered[0];
            _ordered.RemoveAt(0);
            EvictedWindows++;
            EvictedEvents += _windows[oldest].Events;
            _windows.Remove(oldest);
            _open.Remove(oldest);
            _evictedBelow = oldest + 1;
        }

        return window;
    }

    private void Advance(int partition, long ticks)
    {
        ref var partitionMark = ref CollectionsMarshal.GetValueRefOrAddDefault(_partitionWatermarks, partition, out var seen);
        var before = seen ? partitionMark : long.MinValue;
        if (ticks <= before)
        {
            return;
        }

        partitionMark = ticks;
        if (seen && IndexOf(before) == IndexOf(ticks) && _watermark != long.MinValue)
        {
            // Within the same window of this partition: nothing to close yet.
            return;
        }

        var lowest = long.MaxValue;
        foreach (var (_, mark) in _partitionWatermarks)
        {
            lowest = Math.Min(lowest, mark);
        }

        _watermark = lowest;
        var window = IndexOf(lowest);
        if (window == _watermarkWindow)
        {
            return;
        }

        _watermarkWindow = window;
        CloseWhatPassed();
    }

    private void CloseWhatPassed()
    {
        List<long>? sealedNow = null;
        foreach (var index in _open)
        {
            var end = DateTimeOffset.UnixEpoch.UtcTicks + ((index + 1) * _windowTicks);
            if (end + _lateness <= _watermark)
            {
                _windows[index].Seal();
                (sealedNow ??= []).Add(index);
            }
        }

        if (sealedNow is not null)
        {
            foreach (var index in sealedNow)
            {
                _open.Remove(index);
            }
        }

        List<ulong>? ended = null;
        var openFrom = long.MaxValue;
        foreach (var (session, span) in _sessions)
        {
            if (span.Last + SessionTimeout.Ticks < _partitionWatermarks[span.Partition])
            {
                Attribute(span);
                (ended ??= []).Add(session);
            }
            else
            {
                openFrom = Math.Min(openFrom, span.First);
            }
        }

        if (ended is not null)
        {
            foreach (var session in ended)
            {
                _sessions.Remove(session);
            }
        }

        _openSessionsFrom = openFrom;
        if (_sessions.Count > _maxOpenSessions)
        {
            CutShort();
        }
    }

    /// <summary>Ends the sessions idle longest, at their last event, until at most the limit are open.</summary>
    private void CutShort()
    {
        var excess = _sessions.Count - _maxOpenSessions;
        if (excess <= 0)
        {
            return;
        }

        var lasts = new long[_sessions.Count];
        var i = 0;
        foreach (var (_, span) in _sessions)
        {
            lasts[i++] = span.Last;
        }

        Array.Sort(lasts);
        var cutoff = lasts[excess - 1];
        List<ulong> cut = [];
        foreach (var (key, span) in _sessions)
        {
            if (span.Last <= cutoff && cut.Count < excess)
            {
                Attribute(span);
                cut.Add(key);
            }
        }

        var openFrom = long.MaxValue;
        foreach (var key in cut)
        {
            _sessions.Remove(key);
        }

        foreach (var (_, span) in _sessions)
        {
            openFrom = Math.Min(openFrom, span.First);
        }

        SessionsCutShort += cut.Count;
        _openSessionsFrom = openFrom;
    }

    private void Attribute(SessionSpan span)
    {
        if (_windows.TryGetValue(IndexOf(span.First), out var first))
        {
            first.SessionsStarted++;
        }

        if (_windows.TryGetValue(IndexOf(span.Last), out var last))
        {
            last.SessionsEnded++;
        }
    }

    private long IndexOf(long ticks) => WindowIndex.Of(ticks, _windowTicks);

    private readonly record struct SessionSpan(long First, long Last, int Partition);
}
