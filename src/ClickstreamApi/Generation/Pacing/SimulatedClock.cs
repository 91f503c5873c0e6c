namespace ClickstreamApi.Generation.Pacing;

/// <summary>
/// A run's own clock: it begins at <see cref="StartAt"/> and runs at <see cref="Speed"/> times real
/// time, or as fast as the service can generate (<see cref="AsFastAsPossible"/>, for backfills).
/// Every event's occurredAt and Kafka timestamp is its place on the run's schedule, never the wall
/// clock, so the same seed, start and events give the same bytes.
/// </summary>
/// <param name="StartAt">The simulated moment of the run's first event.</param>
/// <param name="Speed">Simulated seconds per real second (ignored when <paramref name="AsFastAsPossible"/>).</param>
/// <param name="AsFastAsPossible">Generate without waiting: the clock jumps from event to event.</param>
/// <param name="EndAt">When set, the run completes before its first event at or after this simulated moment.</param>
public sealed record SimulatedClock(DateTimeOffset StartAt, double Speed = 1, bool AsFastAsPossible = false, DateTimeOffset? EndAt = null)
{
    /// <summary>Fastest a paced simulated clock may run.</summary>
    public const double MaxSpeed = 1_000_000;

    /// <summary>Earliest start accepted (Kafka timestamps before 1970 are not allowed).</summary>
    public static readonly DateTimeOffset MinStartAt = DateTimeOffset.UnixEpoch;

    /// <summary>Latest start accepted.</summary>
    public static readonly DateTimeOffset MaxStartAt = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
