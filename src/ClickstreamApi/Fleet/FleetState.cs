using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Fleet;

/// <summary>
/// What the fleet's command log adds up to: every member folds the same commands in the same order
/// and so reaches the same state, also a member that joins late or restarts.
/// </summary>
/// <param name="Running">Whether a fleet run is on.</param>
/// <param name="RunId">The current (or last) fleet run: the id of the start command that began it.</param>
/// <param name="Seed">The current (or last) fleet run's seed.</param>
/// <param name="Format">The fleet run's format; null: each member's Output:Format.</param>
/// <param name="Rate">The fleet's total rate profile.</param>
/// <param name="Faults">The faults every member injects.</param>
/// <param name="LastCommandId">The last command folded in; null before the first.</param>
/// <param name="Clock">The current (or last) fleet run's simulated clock; null on the wall clock.</param>
/// <param name="CommandsApplied">How many commands were folded in.</param>
public sealed record FleetState(
    bool Running,
    string? RunId,
    int? Seed,
    OutputFormat? Format,
    RateProfile Rate,
    FaultSettings Faults,
    string? LastCommandId,
    long CommandsApplied,
    SimulatedClock? Clock = null)
{
    /// <summary>Before any command: stopped, at the configured rate as the fleet's total.</summary>
    public static FleetState Initial(double eventsPerSecond) =>
        new(false, null, null, null, RateProfile.Constant(eventsPerSecond), FaultSettings.None, null, 0);

    /// <summary>The state after <paramref name="command"/>. A start while running, or a stop while stopped, changes nothing but the count.</summary>
    public FleetState Apply(FleetCommand command)
    {
        var next = command.Kind switch
        {
            FleetCommandKind.Start when !Running => this with { Running = true, RunId = command.Id, Seed = command.Seed, Format = command.Format, Clock = command.Clock },
            FleetCommandKind.Stop => this with { Running = false },
            FleetCommandKind.Rate when command.Rate is { } rate => this with { Rate = rate },
            FleetCommandKind.Faults when command.Faults is { } faults => this with { Faults = faults },
            _ => this,
        };
        return next with { LastCommandId = command.Id, CommandsApplied = CommandsApplied + 1 };
    }
}
