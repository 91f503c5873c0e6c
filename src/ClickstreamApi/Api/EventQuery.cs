using System.Globalization;
using ClickstreamApi.Events;

namespace ClickstreamApi.Api;

/// <summary>Filters shared by <c>/api/events/recent</c> and <c>/api/events/stream</c>; null means "any".</summary>
/// <param name="UserId">Only this user's events.</param>
/// <param name="Page">Only pages starting with this (for example <c>/product/</c>).</param>
/// <param name="EventType">Only this event type.</param>
public sealed record EventFilter(string? UserId, string? Page, string? EventType)
{
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
            errors[name] = [string.Create(CultureInfo.InvariantCulture, $"Must be 1 to {max} characters when given.")];
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
