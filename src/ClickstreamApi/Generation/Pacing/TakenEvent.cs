namespace ClickstreamApi.Generation.Pacing;

/// <summary>An event taken off a run's schedule: the time it carries, and when the schedule wanted it sent.</summary>
/// <param name="At">The event's time (its <c>occurredAt</c>): the wall clock when it was made, or its place on a simulated clock.</param>
/// <param name="ScheduledAt">
/// When the event was due on the wall clock: on the wall clock its due time on the rate profile; at a
/// simulated speed where its simulated time falls on the wall clock (the run's wall start + (its time
/// − <c>startAt</c>) / speed). Never after the event was made, and before it by as much as the
/// generator was behind. Null for a simulated run as fast as possible, which has no schedule on the
/// wall clock.
/// </param>
internal readonly record struct TakenEvent(DateTimeOffset At, DateTimeOffset? ScheduledAt);
