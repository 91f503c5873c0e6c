using ClickstreamApi.Analytics;

namespace ClickstreamApi.Fleet;

/// <summary>
/// The analytics of the whole stream, merged from the latest snapshots of the live members whose
/// consumers share this member's consumer group (each reads some partitions; together they read the
/// stream once). Members whose consumers are in groups of their own each read the whole stream and are
/// not added in: that would count every event once per group. Merging is exact for active users
/// (HyperLogLog registers, same standard error as one sketch) and latency (HdrHistograms, 3 significant
/// digits); page counts are exact up to <c>maxUndercount</c>, a bound each member's shared list sets.
/// </summary>
/// <param name="ConsumerGroup">The consumer group merged: this member's.</param>
/// <param name="Members">The live members whose consumers are in it.</param>
/// <param name="PartitionsCovered">Partitions assigned to those consumers; the stream is covered when it equals <paramref name="TopicPartitions"/>.</param>
/// <param name="TopicPartitions">The topic's partitions.</param>
/// <param name="MembersInOtherGroups">Live members whose consumers are in other groups (not merged: they read the stream again).</param>
/// <param name="Consumed">Valid events the merged consumers have read since they started.</param>
/// <param name="Rates">Events consumed per second over the last 1, 10 and 60 seconds, overall and by event type: the members' rates added up (each over its own last complete seconds).</param>
/// <param name="ActiveUsers">Distinct users over the last 1 and 5 minutes.</param>
/// <param name="Latency">End-to-end latency from occurredAt, since start and over the last minute.</param>
/// <param name="TopPages">Busiest pages over the last 1 and 5 minutes (by each member's consumption time).</param>
/// <param name="Windows">Per-page counts in 15-second event-time windows, newest first.</param>
/// <param name="UnreadableSketches">Members' sketches that could not be read and were left out (a member of another version).</param>
public sealed record FleetAnalytics(
    string ConsumerGroup,
    IReadOnlyList<string> Members,
    int PartitionsCovered,
    int TopicPartitions,
    int MembersInOtherGroups,
    long Consumed,
    FleetRates Rates,
    FleetActiveUsers ActiveUsers,
    FleetLatency Latency,
    FleetTopPages TopPages,
    IReadOnlyList<FleetWindow> Windows,
    long UnreadableSketches);

/// <summary>Consumption rates of the merged consumers, added up.</summary>
/// <param name="Overall">All events.</param>
/// <param name="ByType">By event type, as on one member (the known six and <c>other</c>).</param>
public sealed record FleetRates(RateWindow Overall, IReadOnlyDictionary<string, RateWindow> ByType);

/// <summary>Distinct users of the merged consumers: their HyperLogLog registers merged.</summary>
/// <param name="Last1m">Over the last minute.</param>
/// <param name="Last5m">Over the last five minutes.</param>
/// <param name="StandardError">Relative standard error, that of one sketch (about 0.016): merging adds none.</param>
public sealed record FleetActiveUsers(long Last1m, long Last5m, double StandardError);

/// <summary>End-to-end latency from occurredAt of the merged consumers: their HdrHistograms added up.</summary>
public sealed record FleetLatency(LatencyStats SinceStart, LatencyStats Last60s);

/// <summary>Busiest pages of the merged consumers over the last 1 and 5 minutes.</summary>
public sealed record FleetTopPages(MergedPageCounts Last1m, MergedPageCounts Last5m);

/// <summary>Page counts added up over members that each shared their busiest pages only.</summary>
/// <param name="Total">All events in the window (exact).</param>
/// <param name="Top">The busiest pages by the counts added up, descending.</param>
/// <param name="MaxUndercount">How far a count may be below the true one: the sum of the last shared count of every member whose list was cut. 0: every count is exact. A page not listed had at most this many events plus the last count listed.</param>
public sealed record MergedPageCounts(long Total, IReadOnlyList<PageCount> Top, long MaxUndercount);

/// <summary>One 15-second event-time window, added up over the merged consumers.</summary>
/// <param name="Start">Inclusive start (UTC).</param>
/// <param name="End">Exclusive end (UTC).</param>
/// <param name="Total">Events that occurred in the window (exact).</param>
/// <param name="TopPages">The busiest pages, descending.</param>
/// <param name="MaxUndercount">As for <see cref="MergedPageCounts.MaxUndercount"/>.</param>
public sealed record FleetWindow(DateTimeOffset Start, DateTimeOffset End, long Total, IReadOnlyList<PageCount> TopPages, long MaxUndercount);

/// <summary>One run as a consumer group whose members each read some partitions saw it, added up.</summary>
/// <param name="Consumers">The members whose consumers saw the run.</param>
/// <param name="Received">Distinct events they received, added up.</param>
/// <param name="Duplicates">Events they received more than once, added up.</param>
/// <param name="MaxSeq">The highest seq any of them saw.</param>
/// <param name="Missing">Seqs up to <paramref name="MaxSeq"/> none of them received (while running: also events in flight); null when it cannot be proved from snapshots (see <paramref name="Unproven"/>).</param>
/// <param name="Unproven">Why <paramref name="Missing"/> is null, in words.</param>
public sealed record FleetRunSeen(IReadOnlyList<string> Consumers, long Received, long Duplicates, long MaxSeq, long? Missing, string? Unproven);
