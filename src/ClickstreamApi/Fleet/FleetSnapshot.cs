namespace ClickstreamApi.Fleet;

/// <summary>
/// A member's state, published every Fleet:StatusIntervalMilliseconds to the status topic under the
/// member's name (the topic is compacted on a real cluster: its latest snapshot per member is what
/// stays). A member that leaves cleanly publishes a tombstone.
/// </summary>
/// <param name="Member">The member's name (Fleet:MemberName).</param>
/// <param name="At">When the snapshot was taken.</param>
/// <param name="StartedAt">When the member's process started.</param>
/// <param name="ShardCount">How many shards the population is cut into.</param>
/// <param name="Shards">The shards the member owns now.</param>
/// <param name="Running">Whether the member is generating.</param>
/// <param name="FleetRunId">The fleet run the member's current (or last) run belongs to.</param>
/// <param name="RunId">The member's own current (or last) run: its events carry this runId and count seq from 1.</param>
/// <param name="RunEvents">Events the member's current (or last) run handed to Kafka (its highest seq).</param>
/// <param name="TargetEventsPerSecond">The member's share of the fleet's rate (by shards owned).</param>
/// <param name="AchievedEventsPerSecond">Events the member generated over the last 10 seconds, per second.</param>
/// <param name="Produced">Messages the member handed to its producer since it started.</param>
/// <param name="Delivered">Messages acknowledged by the cluster.</param>
/// <param name="Failed">Messages that could not be delivered.</param>
/// <param name="Queued">Messages handed over and not yet acknowledged: in flight.</param>
/// <param name="LastCommandId">The last fleet command the member applied (its acknowledgement of it and every one before).</param>
/// <param name="CommandsApplied">How many commands the member has applied.</param>
/// <param name="Problem">Why the member cannot take part right now (in words); null when it does.</param>
/// <param name="Consumption">What the member's consumer has seen, in a form the fleet adds up (GET /api/fleet's analytics); null while its consumer is not running.</param>
public sealed record FleetSnapshot(
    string Member,
    DateTimeOffset At,
    DateTimeOffset StartedAt,
    int ShardCount,
    IReadOnlyList<int> Shards,
    bool Running,
    string? FleetRunId,
    string? RunId,
    long RunEvents,
    double TargetEventsPerSecond,
    double AchievedEventsPerSecond,
    long Produced,
    long Delivered,
    long Failed,
    long Queued,
    string? LastCommandId,
    long CommandsApplied,
    string? Problem,
    FleetConsumption? Consumption = null);
