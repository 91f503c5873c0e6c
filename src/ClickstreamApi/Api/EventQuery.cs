using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using ClickstreamApi.Events;
using Microsoft.AspNetCore.Mvc;

namespace ClickstreamApi.Api;

/// <summary>The query of <c>/api/events/recent</c>, validated by the framework before the handler runs.</summary>
/// <param name="Limit">How many events, 1 to 1000 (default 50).</param>
/// <param name="UserId">Only this user's events.</param>
/// <param name="Page">Only pages starting with this (for example <c>/product/</c>).</param>
/// <param name="EventType">Only this event type.</param>
/// <param name="After">The <c>X-Next-Cursor</c> of a previous response: only what arrived since, oldest first.</param>
public sealed record RecentEventsQuery(
    [FromQuery(Name = "limit")] [Range(1, EventsApi.MaxLimit, ErrorMessage = "Must be between {1} and {2}.")] int? Limit,
    [FromQuery(Name = "userId")] [StringLength(ClickEventFields.MaxIdLength, MinimumLength = 1, ErrorMessage = EventFilter.LengthRule)] string? UserId,
    [FromQuery(Name = "page")] [StringLength(ClickEventFields.MaxUrlLength, MinimumLength = 1, ErrorMessage = EventFilter.LengthRule)] string? Page,
    [FromQuery(Name = "eventType")] [StringLength(ClickEventFields.MaxNameLength, MinimumLength = 1, ErrorMessage = EventFilter.LengthRule)] string? EventType,
    [FromQuery(Name = "after")] [EventCursor] string? After)
{
    public EventFilter Filter => new(UserId, Page, EventType);
}

/// <summary>Filters shared by <c>/api/events/recent</c> and <c>/api/events/stream</c>; null means "any".</summary>
/// <param name="UserId">Only this user's events.</param>
/// <param name="Page">Only pages starting with this (for example <c>/product/</c>).</param>
/// <param name="EventType">Only this event type.</param>
public sealed record EventFilter(string? UserId, string? Page, string? EventType)
{
    /// <summary>The rule for a filter value, as a format: {1} is the longest length allowed.</summary>
    public const string LengthRule = "Must be 1 to {1} characters when given.";

    private static readonly CompositeFormat LengthFormat = CompositeFormat.Parse(LengthRule);

    public bool IsEmpty => UserId is null && Page is null && EventType is null;

    public bool Matches(ConsumedEvent e) =>
        (UserId is null || string.Equals(e.UserId, UserId, StringComparison.Ordinal))
        && (EventType is null || string.Equals(e.EventType, EventType, StringComparison.Ordinal))
        && (Page is null || e.Page.StartsWith(Page, StringComparison.Ordinal));

    /// <summary>Problems with the filter values, by query parameter.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        Check(errors, "userId", UserId, ClickEventFields.MaxIdLength);
        Check(errors, "page", Page, ClickEventFields.MaxUrlLength);
        Check(errors, "eventType", EventType, ClickEventFields.MaxNameLength);
        return errors;
    }

    private static void Check(Dictionary<string, string[]> errors, string name, string? value, int max)
    {
        if (value is not null && (value.Length == 0 || value.Length > max))
        {
            errors[name] = [string.Format(CultureInfo.InvariantCulture, LengthFormat, name, max)];
        }
    }
}

/// <summary>
/// Cursors over the consumed-event buffer: <c>&lt;epoch&gt;-&lt;sequence&gt;</c>, opaque to clients. The
/// epoch tells a cursor from before a restart (whose sequence means nothing now) from a current one.
/// </summary>
public static class EventCursor
{
    public static string Format(string epoch, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{epoch}-{sequence}");

    /// <summary>
    /// Reads a cursor. <paramref name="sequence"/> is the last sequence the client has seen;
    /// <paramref name="reset"/> is true when the cursor came from another epoch, in which case the
    /// client has to start again from the oldest event still held (sequence 0).
    /// </summary>
    public static bool TryParse(string? text, string epoch, out long sequence, out bool reset)
    {
        sequence = 0;
        reset = false;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var dash = text.LastIndexOf('-');
        if (dash == 0)
        {
            return false;
        }

        var number = dash < 0 ? text : text[(dash + 1)..];
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        if (dash >= 0 && !string.Equals(text[..dash], epoch, StringComparison.Ordinal))
        {
            reset = true;
            return true;
        }

        sequence = parsed;
        return true;
    }
}
