using System.ComponentModel.DataAnnotations;
using ClickstreamApi.Fleet;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Api;

/// <summary>The fleet as this member sees it: the state every member folds from the command log, and every member's latest snapshot.</summary>
/// <param name="Enabled">Whether this instance is a fleet member (Fleet:Enabled); everything else is empty when it is not.</param>
/// <param name="Name">The fleet's name (Fleet:Name).</param>
/// <param name="Member">This member's name.</param>
/// <param name="ShardCount">How many shards the population is cut into (the control topic's partitions); null until the topics are found.</param>
/// <param name="Problem">Why this member cannot take part yet, in words; null when it does.</param>
/// <param name="State">The fleet's state: running, fleet run, total rate, faults, last command.</param>
/// <param name="Members">The latest snapshot of every live member, by name.</param>
/// <param name="LostMembers">Members that went silent for longer than the session time-out without leaving: their last snapshot says what they had in flight (queued) and how far their run got.</param>
/// <param name="Totals">Sums over the live members.</param>
/// <param name="Run">The current (or last) fleet run: every member's part of it and what this member's consumer (or its consumer group) saw of each.</param>
/// <param name="RejectedMessages">Messages on the fleet's topics that were neither a command nor a snapshot, skipped.</param>
/// <param name="Analytics">The stream's analytics merged from the live members whose consumers share this member's consumer group; null until one has published its consumption.</param>
public sealed record FleetStatus(
    bool Enabled,
    string? Name,
    string? Member,
    int? ShardCount,
    string? Problem,
    FleetState? State,
    IReadOnlyList<FleetSnapshot> Members,
    IReadOnlyList<FleetSnapshot> LostMembers,
    FleetTotals Totals,
    FleetRunStatus? Run,
    long RejectedMessages,
    FleetAnalytics? Analytics);

/// <summary>Sums over the fleet's live members.</summary>
/// <param name="Members">Live members.</param>
/// <param name="ShardsOwned">Shards owned by live members (all of them once a rebalance has settled).</param>
/// <param name="TargetEventsPerSecond">The members' shares of the rate, summed: the fleet's rate once every shard is owned.</param>
/// <param name="AchievedEventsPerSecond">Events generated per second over the last 10 seconds, summed.</param>
/// <param name="Produced">Messages handed to producers.</param>
/// <param name="Delivered">Messages acknowledged.</param>
/// <param name="Failed">Messages that could not be delivered.</param>
/// <param name="Queued">Messages in flight.</param>
public sealed record FleetTotals(int Members, int ShardsOwned, double TargetEventsPerSecond, double AchievedEventsPerSecond, long Produced, long Delivered, long Failed, long Queued)
{
    internal static FleetTotals Of(IReadOnlyList<FleetSnapshot> members) => new(
        members.Count,
        members.Sum(m => m.Shards.Count),
        members.Sum(m => m.TargetEventsPerSecond),
        members.Sum(m => m.AchievedEventsPerSecond),
        members.Sum(m => m.Produced),
        members.Sum(m => m.Delivered),
        members.Sum(m => m.Failed),
        members.Sum(m => m.Queued));
}

/// <summary>A command published to the fleet; every member applies it and acknowledges it in its snapshots.</summary>
/// <param name="Id">The command's id; for a start also the fleet run's id.</param>
/// <param name="Kind">start, stop, rate or faults.</param>
/// <param name="IssuedAt">When it was published.</param>
/// <param name="IssuedBy">The member that published it.</param>
/// <param name="Position">Its place in the command log (1-based); null until this member has read it back.</param>
/// <param name="Acknowledged">Live members that have applied it.</param>
/// <param name="Pending">Live members that have not yet.</param>
public sealed record FleetCommandStatus(string Id, FleetCommandKind Kind, DateTimeOffset IssuedAt, string IssuedBy, long? Position, IReadOnlyList<string> Acknowledged, IReadOnlyList<string> Pending);

/// <summary>
/// Options for a fleet run; the body is optional. Every member starts a run of its own, on the wall clock or,
/// with any of startAt, speed, asFastAsPossible or endAt, on a simulated clock that every member's run shares:
/// the same start, speed and end, so their events' times line up.
/// </summary>
/// <param name="Seed">The fleet run's seed (default: random); each member's run uses a seed derived from it and the member's name.</param>
/// <param name="Format">How every member writes its events: json, avro or json-schema (default: each member's Output:Format).</param>
/// <param name="StartAt">Run every member on a simulated clock that begins here (ISO 8601, 1970 to 2200; default: when the command was issued).</param>
/// <param name="Speed">Simulated seconds per real second (more than 0, up to 1,000,000; default 1).</param>
/// <param name="AsFastAsPossible">Backfill: every member generates its users' events without waiting. Not with speed.</param>
/// <param name="EndAt">Every member's run completes before its first event at or after this simulated moment (after startAt): the fleet writes the period once.</param>
public sealed record FleetStartRequest(
    int? Seed = null,
    [AllowedValues(null, OutputFormats.JsonName, OutputFormats.AvroName, OutputFormats.JsonSchemaName, ErrorMessage = "Must be one of json, avro, json-schema.")] string? Format = null,
    DateTimeOffset? StartAt = null,
    [Range(0d, SimulatedClock.MaxSpeed, MinimumIsExclusive = true, ErrorMessage = "Must be more than 0 and at most {2} simulated seconds per second.")] double? Speed = null,
    bool? AsFastAsPossible = null,
    DateTimeOffset? EndAt = null) : IValidatableObject
{
    internal OutputFormat? OutputFormat => OutputFormats.TryParse(Format, out var format) ? format : null;

    /// <summary>The clock every member's run shares; null on the wall clock. Without startAt it begins when the command was issued.</summary>
    internal SimulatedClock? ClockFrom(DateTimeOffset issuedAt) => StartRequest.ClockOf(StartAt, Speed, AsFastAsPossible, EndAt, issuedAt);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => StartRequest.ValidateClock(StartAt, Speed, AsFastAsPossible, EndAt);
}

internal static class FleetFaults
{
    internal static FaultSettings From(SetFaultsRequest request) => new(
        request.Malformed ?? 0,
        request.Duplicate ?? 0,
        request.Late ?? 0,
        request.LateMaxSeconds ?? FaultSettings.None.LateMaxSeconds);
}
