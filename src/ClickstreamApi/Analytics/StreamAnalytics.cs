using ClickstreamApi.Events;

namespace ClickstreamApi.Analytics;

/// <summary>Everything the live analytics know, as of <see cref="TakenAt"/>; immutable, safe to share.</summary>
/// <param name="TakenAt">When the consumer thread took it.</param>
/// <param name="Rates">Events per second over 1, 10 and 60 s, overall and by type (consumption time).</param>
/// <param name="TopPages">Most viewed pages over the last 1 and 5 minutes (consumption time).</param>
/// <param name="ActiveUsers">Distinct users over the last 1 and 5 minutes (HyperLogLog estimate).</param>
/// <param name="Windows">Per-page counts in 15-second tumbling windows by occurredAt (event time).</param>
/// <param name="Latency">End-to-end latency to consumption, from occurredAt and from the scheduled send time.</param>
/// <param name="Integrity">Per-run gaps and duplicates of generator events.</param>
/// <param name="Sketches">The mergeable state behind active users and latency; only when <see cref="StreamAnalytics.KeepsSketches"/> (a fleet member), else null.</param>
public sealed record AnalyticsSnapshot(
    DateTimeOffset TakenAt,
    EventRatesSnapshot Rates,
    TopPagesSnapshot TopPages,
    ActiveUsersSnapshot ActiveUsers,
    TumblingWindowsSnapshot Windows,
    EndToEndLatency Latency,
    RunIntegritySnapshot Integrity,
    AnalyticsSketches? Sketches = null);

/// <summary>
/// What consumers reading different partitions of one stream add up into the whole stream's active
/// users and latency (<see cref="HyperLogLog"/> registers, HdrHistograms): a fleet member publishes it.
/// </summary>
/// <param name="ActiveUsers">The HyperLogLog registers of the last 1 and 5 minutes.</param>
/// <param name="Latency">The latency histograms from occurredAt, since start and over the last minute.</param>
public sealed record AnalyticsSketches(ActiveUsersSketch ActiveUsers, LatencySketch Latency);

/// <summary>
/// The live analytics, updated incrementally as events are consumed (never by rescanning the
/// buffer). The consumer thread records every event and, about twice a second, publishes an
/// immutable snapshot that HTTP readers take without locks.
/// </summary>
public sealed class StreamAnalytics
{
    /// <summary>How often the consumer publishes a snapshot.</summary>
    public static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Most top pages a snapshot keeps per list (requests ask for up to this many).</summary>
    public const int MaxTop = 100;

    private readonly TimeProvider _time;
    private readonly EventRateWindows _rates;
    private readonly TopPages _topPages = new();
    private readonly ActiveUsers _activeUsers = new();
    private readonly TumblingWindows _windows = new();
    private readonly LatencyHistogram _latency = new();
    private readonly LatencyHistogram _fromScheduled = new();
    private long _withoutScheduledTime;
    private readonly RunIntegrity _integrity;
    private AnalyticsSnapshot _latest;
    private long _nextPublish;
    private bool _keepsSketches;

    public StreamAnalytics(TimeProvider time)
    {
        _time = time;
        _rates = new EventRateWindows(time.GetUtcNow());
        _integrity = new RunIntegrity(time);
        _latest = Take(time.GetUtcNow());
    }

    /// <summary>
    /// Whether snapshots carry <see cref="AnalyticsSnapshot.Sketches"/> (about 10 KB and a few hundred
    /// microseconds each): on for a fleet member, whose snapshots the fleet merges.
    /// </summary>
    public bool KeepsSketches
    {
        get => Volatile.Read(ref _keepsSketches);
        set => Volatile.Write(ref _keepsSketches, value);
    }

    /// <summary>The newest published snapshot (at most <see cref="PublishInterval"/> old while the consumer runs).</summary>
    public AnalyticsSnapshot Latest => Volatile.Read(ref _latest);

    /// <summary>Windows the snapshot holds; requests ask for up to this many.</summary>
    public static int MaxWindows => TumblingWindows.DefaultWindowsKept;

    /// <summary>Consumer thread only: <paramref name="scheduledAt"/> is when the event was due to be sent, if that is known.</summary>
    public void Record(ConsumedEvent consumed, DateTimeOffset consumedAt, DateTimeOffset? scheduledAt = null)
    {
        _rates.Record(consumed.EventType, consumedAt);
        _topPages.Record(consumed.Page, consumedAt);
        _activeUsers.Record(consumed.UserId, consumedAt);
        _windows.Record(consumed.Page, consumed.OccurredAt, consumedAt);
        _latency.Record(consumed.OccurredAt, consumedAt);
        if (scheduledAt is { } scheduled)
        {
            _fromScheduled.Record(scheduled, consumedAt);
        }
        else
        {
            _withoutScheduledTime++;
        }

        if (consumed.RunId is { } runId && consumed.Seq is { } seq)
        {
            _integrity.Record(runId, seq);
        }
    }

    /// <summary>
    /// Consumer thread only: seqs of <paramref name="runId"/> below <paramref name="firstCheckedSeq"/>
    /// may have been read before this consumer joined a partition (see <see cref="RunIntegrity.RecordJoin"/>).
    /// </summary>
    public void RecordJoin(string runId, long firstCheckedSeq) => _integrity.RecordJoin(runId, firstCheckedSeq);

    /// <summary>Consumer thread only: publishes a new snapshot when the last one is old enough.</summary>
    public void PublishIfDue()
    {
        var now = _time.GetTimestamp();
        if (now < _nextPublish)
        {
            return;
        }

        _nextPublish = now + (long)(PublishInterval.TotalSeconds * _time.TimestampFrequency);
        Volatile.Write(ref _latest, Take(_time.GetUtcNow()));
    }

    private AnalyticsSnapshot Take(DateTimeOffset now)
    {
        ActiveUsersSnapshot activeUsers;
        LatencySnapshot latency;
        AnalyticsSketches? sketches = null;
        if (KeepsSketches)
        {
            activeUsers = _activeUsers.Snapshot(now, out var usersSketch);
            latency = _latency.Snapshot(now, out var latencySketch);
            sketches = new AnalyticsSketches(usersSketch, latencySketch);
        }
        else
        {
            activeUsers = _activeUsers.Snapshot(now);
            latency = _latency.Snapshot(now);
        }

        return new AnalyticsSnapshot(
            now,
            _rates.Snapshot(now),
            _topPages.Snapshot(now, MaxTop),
            activeUsers,
            _windows.Snapshot(MaxWindows, MaxTop),
            EndToEndLatency.Of(latency, _fromScheduled.Snapshot(now), _withoutScheduledTime),
            _integrity.Snapshot(),
            sketches);
    }
}
