using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Fleet;

/// <summary>What a fleet command asks of every member.</summary>
public enum FleetCommandKind
{
    /// <summary>Start a fleet run: every member starts a run of its own, with its share of the fleet's rate.</summary>
    Start,

    /// <summary>Stop the fleet run.</summary>
    Stop,

    /// <summary>Set the fleet's total rate and profile; each member takes its share by shards owned.</summary>
    Rate,

    /// <summary>Set the test-data faults on every member.</summary>
    Faults,
}

/// <summary>
/// One command on the fleet's control topic (partition 0, in the order issued). Every member folds
/// the whole log into <see cref="FleetState"/> and acknowledges the last command it applied in its
/// status snapshots.
/// </summary>
/// <param name="Id">The command's id (a UUIDv7); a start's id is also the fleet run's id.</param>
/// <param name="Kind">What it asks.</param>
/// <param name="IssuedAt">When a member published it.</param>
/// <param name="IssuedBy">The member whose API was called.</param>
/// <param name="Rate">Rate only: the fleet's total rate profile.</param>
/// <param name="Seed">Start only: the fleet run's seed (each member derives its own from it and its name).</param>
/// <param name="Format">Start only: how the members write their events (else each member's Output:Format).</param>
/// <param name="Faults">Faults only: the faults to inject.</param>
/// <param name="Clock">Start only: the simulated clock every member's run shares; null on the wall clock.</param>
public sealed record FleetCommand(
    string Id,
    FleetCommandKind Kind,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    RateProfile? Rate = null,
    int? Seed = null,
    OutputFormat? Format = null,
    FaultSettings? Faults = null,
    SimulatedClock? Clock = null);
