namespace ClickstreamApi.LoadBench.Service;

// The parts of the service's responses the harness reads, as any HTTP client would declare them.

/// <summary>GET /api/generator.</summary>
internal sealed record GeneratorStatus(
    bool Running,
    double EventsPerSecond,
    double MaxEventsPerSecond,
    string? RunId,
    DateTimeOffset? RunStartedAt,
    long Produced,
    long Delivered,
    long Failed,
    long Queued,
    long QueueFullBackoffs,
    long ScheduleResets,
    AchievedRate Achieved,
    long SkippedEvents,
    long? MaxEvents,
    long RunEvents,
    RateProfileView? Profile = null,
    int? Seed = null,
    string? Format = null,
    RunClockView? Clock = null);

internal sealed record AchievedRate(double LastSecond, double Last10Seconds);

/// <summary>The profile part of GET /api/generator (null daily parameters mean the service's defaults).</summary>
internal sealed record RateProfileView(double EventsPerSecond, double? PeakHour, double? TroughHour, double? PeakToTroughRatio, double? WeekendFactor);

/// <summary>The simulated clock of the current or last run (GET /api/generator <c>clock</c>): <c>now</c> is the simulated time reached.</summary>
internal sealed record RunClockView(DateTimeOffset StartAt, double? Speed, bool AsFastAsPossible, DateTimeOffset? EndAt, DateTimeOffset Now);

/// <summary>GET /api/stats/reconcile (the parts the harness reports).</summary>
internal sealed record ReconcileView(string RunId, int WindowSeconds, bool TruthComplete, DateTimeOffset? ConsumerWatermark, ReconcileSummaryView Summary, IReadOnlyList<ReconciledWindow> Windows, bool Truncated);

internal sealed record ReconcileSummaryView(int Compared, int Equal, int Explained, int Unexplained, int Open, int SessionsPending, long TruthEvents, long ConsumedEvents, long DuplicatesInjected, long LateInjected, long MalformedInjected);

internal sealed record ReconciledWindow(DateTimeOffset Start, DateTimeOffset End, string Status, IReadOnlyList<ReconciledDifference> Differences);

internal sealed record ReconciledDifference(string Field, string? Key, decimal Truth, decimal Consumer, decimal Difference, decimal Unexplained);

/// <summary>GET /api/kafka.</summary>
internal sealed record KafkaInfo(string Mode, string BootstrapServers, string Topic, int Partitions, string ConsumerGroup);

/// <summary>GET /api/stats (the sections the harness uses).</summary>
internal sealed record StatsSnapshot(
    DateTimeOffset GeneratedAt,
    DateTimeOffset AnalyticsAt,
    LatencyViews Latency,
    PartitionsView Partitions,
    ConsumerView Consumer,
    IntegrityView Integrity,
    BufferView Buffer,
    StreamsView Streams)
{
    public RunIntegrity? Run(string? runId) => Integrity.Runs.FirstOrDefault(r => r.RunId == runId);
}

/// <summary>
/// <c>latency</c>: from occurredAt, and (services from issue 15 on; null from older builds) <c>fromScheduled</c>, the same
/// views from the scheduled send time, with <c>withoutScheduledTime</c>, consumed events that have none (since start).
/// </summary>
internal sealed record LatencyViews(LatencyStats SinceStart, LatencyStats Last60s, LatencyViews? FromScheduled = null, long WithoutScheduledTime = 0);

internal sealed record LatencyStats(long Count, double P50, double P90, double P99, double P999, double Max, double Mean);

internal sealed record PartitionsView(int Assigned, long TotalLag);

internal sealed record ConsumerView(bool Running, long Consumed);

internal sealed record IntegrityView(IReadOnlyList<RunIntegrity> Runs, long OffsetResets, long SkippedMessages, long Rejected);

internal sealed record RunIntegrity(string RunId, long MaxSeq, long Received, long Duplicates, long Missing);

internal sealed record BufferView(int Capacity, int Count, long LastSequence, long Evicted);

internal sealed record StreamsView(int Open, long Sent, long Dropped, long Refused);

/// <summary>One event of GET /api/events/recent (only its place in the ring buffer).</summary>
internal sealed record RecentEvent(long Sequence);
