using System.ComponentModel.DataAnnotations;
using ClickstreamApi.Analytics;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;
using ClickstreamApi.Kafka;
using ClickstreamApi.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ClickstreamApi.Api;

/// <summary>Live analytics of the consumed stream, computed incrementally as events arrive.</summary>
public static class StatsApi
{
    public const int DefaultTop = 10;
    public const int DefaultWindows = 4;

    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/stats", GetStats)
            .WithTags("Stats")
            .WithName("GetStats")
            .WithSummary("Rates, top pages, active users, 15-second page windows, latency percentiles, partitions and lag, and integrity counters.")
            .WithDescription(
                $"`top` (1 to {StreamAnalytics.MaxTop}, default {DefaultTop}) sets how many pages each list shows; `windows` (1 to "
                + $"{StreamAnalytics.MaxWindows}, default {DefaultWindows}) how many 15-second windows. The analytics part is refreshed "
                + "twice a second by the consumer (see `analyticsAt`); the consumer, partition, buffer and stream counters are read live.")
            .WithValidationProblem("The query is not valid.")
            .RequireAuthorization(ApiKeyPolicies.Reads);
        return routes;
    }

    /// <summary>Answers a query the framework has validated (<see cref="StatsQuery"/>).</summary>
    public static Ok<StatsResponse> GetStats(
        StreamAnalytics analytics,
        ConsumerState consumer,
        RejectedMessageLog rejected,
        RingBuffer<ConsumedEvent> buffer,
        StreamHub streams,
        KafkaEnvironment kafka,
        TimeProvider time,
        [AsParameters] StatsQuery query)
    {
        var topCount = query.Top ?? DefaultTop;
        var windowCount = query.Windows ?? DefaultWindows;
        var snapshot = analytics.Latest;
        var assigned = consumer.Partitions.ToDictionary(p => p.Partition);
        var partitions = Enumerable.Range(0, kafka.Partitions)
            .Select(p => assigned.TryGetValue(p, out var position)
                ? new PartitionStats(p, true, position.Position, position.HighWatermark, position.Lag)
                : new PartitionStats(p, false, null, null, null))
            .ToList();

        return TypedResults.Ok(new StatsResponse(
            time.GetUtcNow(),
            snapshot.TakenAt,
            snapshot.Rates,
            snapshot.TopPages with
            {
                Last1m = snapshot.TopPages.Last1m with { Top = [.. snapshot.TopPages.Last1m.Top.Take(topCount)] },
                Last5m = snapshot.TopPages.Last5m with { Top = [.. snapshot.TopPages.Last5m.Top.Take(topCount)] },
            },
            snapshot.ActiveUsers,
            snapshot.Windows with
            {
                Windows = [.. snapshot.Windows.Windows.Take(windowCount).Select(w => w with { TopPages = [.. w.TopPages.Take(topCount)] })],
            },
            snapshot.Latency,
            new PartitionsStats(kafka.Topic, partitions.Count(p => p.Assigned), consumer.Lag, partitions),
            new ConsumerStats(
                consumer.IsRunning,
                kafka.GroupId,
                consumer.Consumed,
                consumer.Assignments,
                consumer.Revocations,
                consumer.LostPartitions,
                consumer.LastRebalanceAt),
            new IntegrityStats(
                snapshot.Integrity.Runs,
                snapshot.Integrity.Retired,
                snapshot.Integrity.EvictedRuns,
                snapshot.Integrity.InvalidSeqs,
                consumer.OffsetResets,
                consumer.Skipped,
                rejected.Total,
                rejected.CountsByReason(),
                kafka.DuplicatesNote),
            new BufferStats(buffer.Capacity, buffer.Count, buffer.LastSequence, buffer.Evicted),
            new StreamStats(streams.Clients, streams.MaxClients, streams.Sent, streams.Dropped, streams.Refused)));
    }
}

/// <summary>The query of <c>/api/stats</c>.</summary>
/// <param name="Top">How many pages each list shows, 1 to 100 (default 10).</param>
/// <param name="Windows">How many 15-second windows, 1 to 20 (default 4).</param>
public sealed record StatsQuery(
    [FromQuery(Name = "top")] [Range(1, StreamAnalytics.MaxTop, ErrorMessage = "Must be between {1} and {2}.")] int? Top,
    [FromQuery(Name = "windows")] [Range(1, StatsQuery.MaxWindows, ErrorMessage = "Must be between {1} and {2}.")] int? Windows)
{
    /// <summary>An attribute needs a constant: the windows the analytics keep (<see cref="StreamAnalytics.MaxWindows"/>).</summary>
    public const int MaxWindows = TumblingWindows.DefaultWindowsKept;
}

/// <summary>The whole live picture of the stream.</summary>
/// <param name="GeneratedAt">When this response was made.</param>
/// <param name="AnalyticsAt">When the analytics part (rates to integrity runs) was last refreshed by the consumer.</param>
/// <param name="Rates">Events per second over the last 1, 10 and 60 s, overall and by event type (by consumption time).</param>
/// <param name="TopPages">Most viewed pages over the last minute and 5 minutes (by consumption time).</param>
/// <param name="ActiveUsers">Distinct users over the last minute and 5 minutes (HyperLogLog; standard error about 1.6%).</param>
/// <param name="Windows">Per-page counts in 15-second tumbling windows by occurredAt (event time), newest first.</param>
/// <param name="Latency">
/// End-to-end latency in milliseconds, since start and over the last 60 s: <c>sinceStart</c>, <c>last60s</c> and the clamp
/// counts from <c>occurredAt</c> to consumption; <c>fromScheduled</c>, in the same shape, from the time each event was due to
/// be sent on its run's schedule (wall clock) to consumption, which does not hide how far the generator fell behind
/// (coordinated omission); <c>withoutScheduledTime</c> counts the consumed events that have no scheduled time (simulated runs
/// as fast as possible, other producers' events, runs this process did not generate, entries already overwritten).
/// </param>
/// <param name="Partitions">Every partition of the topic: assigned to this consumer or not, position, high watermark, lag.</param>
/// <param name="Consumer">The consumer: group, totals, rebalances.</param>
/// <param name="Integrity">What did not arrive as sent: per-run gaps and duplicates, offset resets, rejected messages.</param>
/// <param name="Buffer">The ring buffer of consumed events.</param>
/// <param name="Streams">Live tails: open, sent, dropped.</param>
public sealed record StatsResponse(
    DateTimeOffset GeneratedAt,
    DateTimeOffset AnalyticsAt,
    EventRatesSnapshot Rates,
    TopPagesSnapshot TopPages,
    ActiveUsersSnapshot ActiveUsers,
    TumblingWindowsSnapshot Windows,
    EndToEndLatency Latency,
    PartitionsStats Partitions,
    ConsumerStats Consumer,
    IntegrityStats Integrity,
    BufferStats Buffer,
    StreamStats Streams);

/// <summary>One partition of the topic.</summary>
/// <param name="Partition">Partition number.</param>
/// <param name="Assigned">Whether this consumer reads it now.</param>
/// <param name="Position">Offset of the next message this consumer will read.</param>
/// <param name="HighWatermark">Offset the next produced message will get.</param>
/// <param name="Lag">Messages not yet read.</param>
public sealed record PartitionStats(int Partition, bool Assigned, long? Position, long? HighWatermark, long? Lag);

/// <summary>The topic's partitions.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Assigned">How many partitions this consumer reads.</param>
/// <param name="TotalLag">Messages not yet read, over the assigned partitions.</param>
/// <param name="Partitions">Each partition.</param>
public sealed record PartitionsStats(string Topic, int Assigned, long TotalLag, IReadOnlyList<PartitionStats> Partitions);

/// <summary>The consumer and its group.</summary>
/// <param name="Running">Whether the consumer loop runs.</param>
/// <param name="GroupId">The consumer group.</param>
/// <param name="Consumed">Valid events read since start.</param>
/// <param name="Assignments">Rebalances that assigned partitions.</param>
/// <param name="Revocations">Rebalances that took partitions away cleanly.</param>
/// <param name="LostPartitions">Times partitions were lost without a clean revocation.</param>
/// <param name="LastRebalanceAt">When the assignment last changed.</param>
public sealed record ConsumerStats(
    bool Running,
    string GroupId,
    long Consumed,
    long Assignments,
    long Revocations,
    long LostPartitions,
    DateTimeOffset? LastRebalanceAt);

/// <summary>What did not arrive as sent.</summary>
/// <param name="Runs">Generator runs seen recently: seqs received, missing (gaps, or still in flight) and duplicated.</param>
/// <param name="RetiredRuns">Final numbers of runs no longer tracked.</param>
/// <param name="EvictedRuns">Runs dropped from tracking to bound memory.</param>
/// <param name="InvalidSeqs">Events with a seq below 1.</param>
/// <param name="OffsetResets">Times a partition's offset jumped forward past unread messages (evicted by the broker before they were read).</param>
/// <param name="SkippedMessages">Messages those jumps skipped.</param>
/// <param name="Rejected">Messages that were not valid events.</param>
/// <param name="RejectedByReason">Rejected messages by reason.</param>
/// <param name="DuplicatesNote">Where duplicates on this cluster can come from besides the generator's <c>duplicate</c> fault (set for the embedded cluster, whose broker writes a retried produce request twice); null otherwise.</param>
public sealed record IntegrityStats(
    IReadOnlyList<RunSnapshot> Runs,
    IReadOnlyList<RunSnapshot> RetiredRuns,
    long EvictedRuns,
    long InvalidSeqs,
    long OffsetResets,
    long SkippedMessages,
    long Rejected,
    IReadOnlyDictionary<string, long> RejectedByReason,
    string? DuplicatesNote);

/// <summary>The ring buffer of consumed events.</summary>
/// <param name="Capacity">Events it holds at most (RingBuffer:Capacity).</param>
/// <param name="Count">Events it holds now.</param>
/// <param name="LastSequence">Sequence of the newest event.</param>
/// <param name="Evicted">Events pushed out by newer ones since start.</param>
public sealed record BufferStats(int Capacity, int Count, long LastSequence, long Evicted);

/// <summary>Live tails (Server-Sent Events).</summary>
/// <param name="Open">Streams open now.</param>
/// <param name="MaxClients">Most streams allowed at once.</param>
/// <param name="Sent">Events written to streams since start.</param>
/// <param name="Dropped">Events streams lost because their reader fell more than the buffer behind.</param>
/// <param name="Refused">Streams refused at the limit.</param>
public sealed record StreamStats(int Open, int MaxClients, long Sent, long Dropped, long Refused);
