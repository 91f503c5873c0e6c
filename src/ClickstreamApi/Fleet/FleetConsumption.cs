using ClickstreamApi.Analytics;

namespace ClickstreamApi.Fleet;

/// <summary>
/// What a member's consumer has seen, in a form the fleet can add up (<see cref="FleetAnalytics"/>):
/// sketches that merge exactly (HyperLogLog registers, HdrHistograms), page counts whose merge has a
/// known bound, and the counts of its recent runs. Part of the member's snapshot.
/// </summary>
/// <param name="GroupId">The member's consumer group: members in one group each read some partitions and add up to the stream; a member in a group of its own reads all of it.</param>
/// <param name="TopicPartitions">The topic's partitions.</param>
/// <param name="Partitions">The partitions the member's consumer is assigned now.</param>
/// <param name="Consumed">Valid events its consumer has read since it started.</param>
/// <param name="AnalyticsAt">When its analytics were taken (at most half a second before the snapshot).</param>
/// <param name="Rates">Its consumption rates over the last 1, 10 and 60 seconds, overall and by event type.</param>
/// <param name="ActiveUsers">HyperLogLog registers of its distinct users over the last 1 and 5 minutes.</param>
/// <param name="Latency">Its latency histograms from occurredAt, since start and over the last minute.</param>
/// <param name="TopPages">Its busiest pages over the last 1 and 5 minutes, the first <see cref="SharedTop"/> of each.</param>
/// <param name="Windows">Its newest <see cref="SharedWindows"/> 15-second event-time windows, the first <see cref="SharedTop"/> pages of each.</param>
/// <param name="Runs">Its counts of the <see cref="SharedRuns"/> runs it saw most recently.</param>
public sealed record FleetConsumption(
    string GroupId,
    int TopicPartitions,
    IReadOnlyList<int> Partitions,
    long Consumed,
    DateTimeOffset AnalyticsAt,
    EventRatesSnapshot Rates,
    ActiveUsersSketch ActiveUsers,
    LatencySketch Latency,
    TopPagesSnapshot TopPages,
    IReadOnlyList<TumblingWindowSnapshot> Windows,
    IReadOnlyList<RunSnapshot> Runs)
{
    /// <summary>Pages per list a member shares: the merged lists are exact up to a bound set by each member's last shared count.</summary>
    public const int SharedTop = 20;

    /// <summary>Event-time windows a member shares (2 minutes).</summary>
    public const int SharedWindows = 8;

    /// <summary>Runs a member shares.</summary>
    public const int SharedRuns = 8;
}
