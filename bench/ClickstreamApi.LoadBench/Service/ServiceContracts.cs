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
    long RunEvents);

internal sealed record AchievedRate(double LastSecond, double Last10Seconds);

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

internal sealed record LatencyViews(LatencyStats SinceStart, LatencyStats Last60s);

internal sealed record LatencyStats(long Count, double P50, double P90, double P99, double P999, double Max, double Mean);

internal sealed record PartitionsView(int Assigned, long TotalLag);

internal sealed record ConsumerView(bool Running, long Consumed);

internal sealed record IntegrityView(IReadOnlyList<RunIntegrity> Runs, long OffsetResets, long SkippedMessages, long Rejected);

internal sealed record RunIntegrity(string RunId, long MaxSeq, long Received, long Duplicates, long Missing);

internal sealed record BufferView(int Capacity, int Count, long LastSequence, long Evicted);

internal sealed record StreamsView(int Open, long Sent, long Dropped, long Refused);

/// <summary>One event of GET /api/events/recent (only its place in the ring buffer).</summary>
internal sealed record RecentEvent(long Sequence);
