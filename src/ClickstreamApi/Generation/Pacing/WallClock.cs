namespace ClickstreamApi.Generation.Pacing;

/// <summary>Monotonic timestamps (<see cref="TimeProvider.GetTimestamp"/>) placed on the wall clock.</summary>
/// <remarks>
/// A timestamp counts <see cref="TimeProvider.TimestampFrequency"/> units a second (10⁹ on Linux,
/// not TimeSpan's 10⁷) from an arbitrary origin, so it becomes a wall time only against a reading of
/// both clocks: the wall clock then, minus the monotonic time between the timestamp and then. Read
/// against the wall clock of the moment an event is made (not one read when the run started), a
/// due time moves with the wall clock's steps as the event's <c>occurredAt</c> and its consumption
/// time do, and is never more than the event's real lateness before <c>occurredAt</c>.
/// </remarks>
internal static class WallClock
{
    /// <summary>
    /// The wall time of <paramref name="timestamp"/>, seen from the moment the monotonic clock read
    /// <paramref name="nowTimestamp"/> and the wall clock <paramref name="wallNow"/>.
    /// </summary>
    public static DateTimeOffset ToWallTime(TimeProvider time, long timestamp, long nowTimestamp, DateTimeOffset wallNow) =>
        wallNow - time.GetElapsedTime(timestamp, nowTimestamp);

    /// <summary>
    /// When an event made now was due on the wall clock, from its due <paramref name="dueTimestamp"/>;
    /// <paramref name="now"/> at the latest (an event made a rounding early was due when it was made).
    /// </summary>
    /// <param name="time">The clock.</param>
    /// <param name="dueTimestamp">When the event was due, as a <see cref="TimeProvider.GetTimestamp"/> value.</param>
    /// <param name="now">The wall clock now: the time the event is made.</param>
    public static DateTimeOffset DueAt(TimeProvider time, long dueTimestamp, out DateTimeOffset now)
    {
        var nowTimestamp = time.GetTimestamp();
        now = time.GetUtcNow();
        var due = ToWallTime(time, dueTimestamp, nowTimestamp, now);
        return due < now ? due : now;
    }
}
