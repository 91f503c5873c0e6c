using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Generation;

/// <summary>The generator's runtime state at one moment.</summary>
/// <param name="Running">Whether events are being generated.</param>
/// <param name="Profile">The rate profile (constant, poisson, burst, ramp or daily) and its parameters.</param>
/// <param name="ProfileSince">When the profile was set: profiles such as ramp and burst run on their own clock from then.</param>
/// <param name="RunId">The current (or last) run; a run begins with each start.</param>
/// <param name="RunStartedAt">When the current (or last) run began.</param>
/// <param name="Seed">The current (or last) run's seed; passing it to a new run replays the same events.</param>
/// <param name="MaxEvents">When set, the run stops by itself after this many events are delivered.</param>
/// <param name="Faults">Test-data faults to inject.</param>
/// <param name="Format">How the current (or last) run writes its events.</param>
/// <param name="Clock">The current (or last) run's simulated clock; null when it runs on the wall clock.</param>
/// <param name="RunNumber">Counts the runs started since the service started: tells a new run from the last one even when both have the same id (a simulated run replayed).</param>
/// <param name="Version">Bumped on every change so the loop can tell what changed.</param>
/// <param name="Shards">The users this instance generates as a fleet member (its shards); null: every user.</param>
public sealed record GeneratorSetpoint(
    bool Running,
    RateProfile Profile,
    DateTimeOffset ProfileSince,
    string? RunId,
    DateTimeOffset? RunStartedAt,
    int? Seed,
    long? MaxEvents,
    FaultSettings Faults,
    OutputFormat Format,
    long Version,
    SimulatedClock? Clock = null,
    long RunNumber = 0,
    Model.UserShards? Shards = null);
