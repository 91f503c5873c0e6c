namespace ClickstreamApi.Analytics.EventTime;

/// <summary>The consumer's windows of a run compared with the generator's truth.</summary>
/// <param name="RunId">The run.</param>
/// <param name="WindowSeconds">Window length (Windows:WindowSeconds).</param>
/// <param name="TruthComplete">Whether the run has ended (else the newest windows are still open on the generator's side).</param>
/// <param name="ConsumerComplete">Whether the run has ended and the consumer has counted as many of its messages as were sent (events and copies): then every window is compared as final, sessions included.</param>
/// <param name="ConsumerWatermark">Event time the consumer's windows have reached (the lowest partition's newest event).</param>
/// <param name="Summary">Counts over all windows.</param>
/// <param name="Windows">The windows that differ (or, with all=true, every compared window), oldest first, up to the limit asked for.</param>
/// <param name="Truncated">Whether more windows differed than are listed.</param>
public sealed record ReconcileReport(
    string RunId,
    int WindowSeconds,
    bool TruthComplete,
    bool ConsumerComplete,
    DateTimeOffset? ConsumerWatermark,
    ReconcileSummary Summary,
    IReadOnlyList<WindowReconciliation> Windows,
    bool Truncated);

/// <summary>How the windows compared.</summary>
/// <param name="Compared">Windows closed on both sides (past the allowed lateness) and compared.</param>
/// <param name="Equal">Compared windows where the consumer counted exactly the truth.</param>
/// <param name="Explained">Compared windows whose every difference an injected fault accounts for: the extra copies (an at-least-once job counts them), or late events that came after the allowed lateness.</param>
/// <param name="Unexplained">Compared windows with a difference no injected fault accounts for: events lost, or counted that the generator never sent.</param>
/// <param name="Open">Windows not compared yet: within the allowed lateness of the newest event time on either side (none once the consumer is complete).</param>
/// <param name="SessionsPending">Compared windows whose sessions were not compared: not final yet on one side (a session ends 30 minutes of event time after its last event), or cut short (see <paramref name="SessionsCutShort"/>).</param>
/// <param name="SessionsCutShort">Sessions either side ended early to stay within Windows:MaxOpenSessions; when not 0, sessions are not compared (a cut session that goes on counts twice).</param>
/// <param name="TruthEvents">Events the generator handed over in the run, once each.</param>
/// <param name="ConsumedEvents">Events of the run the consumer counted.</param>
/// <param name="DuplicatesInjected">Extra copies the generator sent.</param>
/// <param name="LateInjected">Events the generator sent late.</param>
/// <param name="MalformedInjected">Malformed messages the generator sent (not events: neither side counts them).</param>
public sealed record ReconcileSummary(
    int Compared,
    int Equal,
    int Explained,
    int Unexplained,
    int Open,
    int SessionsPending,
    long SessionsCutShort,
    long TruthEvents,
    long ConsumedEvents,
    long DuplicatesInjected,
    long LateInjected,
    long MalformedInjected);

/// <summary>One compared window.</summary>
/// <param name="Start">Inclusive start.</param>
/// <param name="End">Exclusive end.</param>
/// <param name="Status"><c>equal</c>, <c>explained</c> (by injected faults) or <c>unexplained</c>.</param>
/// <param name="Late">Events of the window the generator sent late (they count in their own window on both sides, so they explain no difference).</param>
/// <param name="Malformed">Malformed messages sent after the window's events.</param>
/// <param name="SessionsCompared">Whether sessions were final on both sides and compared.</param>
/// <param name="Differences">Every field and key that differs.</param>
public sealed record WindowReconciliation(
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,
    long Late,
    long Malformed,
    bool SessionsCompared,
    IReadOnlyList<FieldDifference> Differences);

/// <summary>One count that differs.</summary>
/// <param name="Field">events, byPage, byEventType, purchases, revenue, distinctUsers, sessionsStarted or sessionsEnded.</param>
/// <param name="Key">The page, event type or currency (null for the window-wide fields).</param>
/// <param name="Truth">What the generator handed over.</param>
/// <param name="Consumer">What the consumer counted.</param>
/// <param name="Difference">Consumer minus truth.</param>
/// <param name="Explained">How much of the difference an injected fault accounts for.</param>
/// <param name="ExplainedBy"><c>duplicates</c> (the extra copies an at-least-once reader counts again) or <c>late</c> (events that reached the consumer after the allowed lateness, whose users it could no longer tell apart); null when nothing is explained.</param>
/// <param name="Unexplained">Difference minus explained: 0 when the faults account for all of it.</param>
public sealed record FieldDifference(string Field, string? Key, decimal Truth, decimal Consumer, decimal Difference, decimal Explained, string? ExplainedBy, decimal Unexplained);
