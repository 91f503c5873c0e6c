using ClickstreamApi.Events;

namespace ClickstreamApi.Analytics.EventTime;

/// <summary>What an event-time window counts of one event.</summary>
/// <param name="OccurredAt">The event's time: its window.</param>
/// <param name="Page">Counted by page.</param>
/// <param name="EventType">Counted by type.</param>
/// <param name="UserId">Counted as distinct users.</param>
/// <param name="SessionId">Sessions start in the window of their first event and end in the window of their last.</param>
/// <param name="Amount">A purchase's amount (revenue by currency).</param>
/// <param name="Currency">The amount's currency.</param>
public readonly record struct TalliedEvent(
    DateTimeOffset OccurredAt,
    string Page,
    string EventType,
    string UserId,
    string? SessionId,
    decimal? Amount,
    string? Currency)
{
    public static TalliedEvent From(ClickEvent e) => new(e.OccurredAt, e.Page, e.EventType, e.UserId, e.SessionId, e.Amount, e.Currency);

    public bool IsPurchase => string.Equals(EventType, EventTypes.Purchase, StringComparison.Ordinal);
}
