namespace ClickstreamApi.Analytics.EventTime;

/// <summary>What happened in one event-time window.</summary>
/// <param name="Start">Inclusive start (UTC).</param>
/// <param name="End">Exclusive end.</param>
/// <param name="Events">Events whose occurredAt lies in the window.</param>
/// <param name="ByPage">Events by page, pages in ordinal order.</param>
/// <param name="ByEventType">Events by type.</param>
/// <param name="SessionsStarted">Sessions whose first event lies in the window (known once the session has ended).</param>
/// <param name="SessionsEnded">Sessions whose last event lies in the window (ended: 30 minutes of the session's event time passed without another).</param>
/// <param name="Purchases">Purchase events.</param>
/// <param name="Revenue">Purchase amounts by currency.</param>
/// <param name="DistinctUsers">Distinct userIds among the window's events.</param>
/// <param name="Final">True when nothing can change the window any more (its run ended, or the newest event time is past its end by the allowed lateness and a session timeout).</param>
/// <param name="AfterLateness">Events counted after the allowed lateness had passed (their users could not be checked for distinctness any more).</param>
public sealed record WindowTotals(
    DateTimeOffset Start,
    DateTimeOffset End,
    long Events,
    IReadOnlyDictionary<string, long> ByPage,
    IReadOnlyDictionary<string, long> ByEventType,
    long SessionsStarted,
    long SessionsEnded,
    long Purchases,
    IReadOnlyDictionary<string, decimal> Revenue,
    long DistinctUsers,
    bool Final,
    long AfterLateness);
