using ClickstreamApi.Analytics.EventTime;

namespace ClickstreamApi.Api;

/// <summary>What a downstream job should compute from a run (<c>GET /api/generator/truth</c>).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="WindowSeconds">Length of the tumbling event-time windows (Windows:WindowSeconds).</param>
/// <param name="Complete">Whether the run has ended; until then the newest windows may still change (see each window's <c>final</c>).</param>
/// <param name="Events">Events handed to Kafka, once each.</param>
/// <param name="Duplicates">Extra copies sent by the duplicate fault.</param>
/// <param name="Late">Events sent late (their occurredAt moved back).</param>
/// <param name="Malformed">Malformed messages sent (not events; not in any count).</param>
/// <param name="EvictedWindows">Windows dropped to keep Windows:MaxWindowsPerRun (their events are in <c>events</c> but no longer listed).</param>
/// <param name="SessionsCutShort">Sessions ended early to keep at most Windows:MaxOpenSessions open (their start and end counts may be off; 0 at ordinary rates).</param>
/// <param name="Windows">Every window with at least one event, oldest first.</param>
public sealed record TruthResponse(
    string RunId,
    int Seed,
    int WindowSeconds,
    bool Complete,
    long Events,
    long Duplicates,
    long Late,
    long Malformed,
    long EvictedWindows,
    long SessionsCutShort,
    IReadOnlyList<TruthWindow> Windows);

/// <summary>One event-time window of the truth; with <c>Accept: application/x-ndjson</c> one of these per line.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Start">Inclusive start (UTC).</param>
/// <param name="End">Exclusive end.</param>
/// <param name="Final">True when nothing can change the window any more.</param>
/// <param name="Events">Events that occurred in the window, each once.</param>
/// <param name="ByPage">Events by page.</param>
/// <param name="ByEventType">Events by type.</param>
/// <param name="SessionsStarted">Sessions whose first event lies in the window.</param>
/// <param name="SessionsEnded">Sessions whose last event lies in the window (a session ends after 30 minutes of its event time without another event).</param>
/// <param name="Purchases">Purchase events.</param>
/// <param name="Revenue">Purchase amounts by currency.</param>
/// <param name="DistinctUsers">Distinct userIds.</param>
/// <param name="Injected">The faults injected into the window: what an at-least-once job adds, and which events came late.</param>
public sealed record TruthWindow(
    string RunId,
    DateTimeOffset Start,
    DateTimeOffset End,
    bool Final,
    long Events,
    IReadOnlyDictionary<string, long> ByPage,
    IReadOnlyDictionary<string, long> ByEventType,
    long SessionsStarted,
    long SessionsEnded,
    long Purchases,
    IReadOnlyDictionary<string, decimal> Revenue,
    long DistinctUsers,
    InjectedInTruthWindow Injected)
{
    internal static TruthWindow From(string runId, WindowTotals totals, WindowTotals? duplicates, long late, long malformed) => new(
        runId,
        totals.Start,
        totals.End,
        totals.Final,
        totals.Events,
        totals.ByPage,
        totals.ByEventType,
        totals.SessionsStarted,
        totals.SessionsEnded,
        totals.Purchases,
        totals.Revenue,
        totals.DistinctUsers,
        new InjectedInTruthWindow(
            duplicates?.Events ?? 0,
            duplicates?.ByPage ?? Empty<long>(),
            duplicates?.ByEventType ?? Empty<long>(),
            duplicates?.Purchases ?? 0,
            duplicates?.Revenue ?? Empty<decimal>(),
            late,
            malformed));

    private static Dictionary<string, T> Empty<T>() => [];
}

/// <summary>Faults injected into one window.</summary>
/// <param name="Duplicates">Extra copies of the window's events that were sent.</param>
/// <param name="DuplicatesByPage">Those copies by page.</param>
/// <param name="DuplicatesByEventType">Those copies by type.</param>
/// <param name="DuplicatePurchases">Copies of purchase events.</param>
/// <param name="DuplicateRevenue">Their amounts by currency.</param>
/// <param name="Late">Events of the window sent late.</param>
/// <param name="Malformed">Malformed messages sent after the window's events.</param>
public sealed record InjectedInTruthWindow(
    long Duplicates,
    IReadOnlyDictionary<string, long> DuplicatesByPage,
    IReadOnlyDictionary<string, long> DuplicatesByEventType,
    long DuplicatePurchases,
    IReadOnlyDictionary<string, decimal> DuplicateRevenue,
    long Late,
    long Malformed);
