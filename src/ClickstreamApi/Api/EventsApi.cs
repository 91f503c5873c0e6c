using System.Globalization;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;
using ClickstreamApi.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ClickstreamApi.Api;

/// <summary>Read what the consumer took off the topic: the newest events, a cursor to poll with, a live tail.</summary>
public static class EventsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;
    public const string NextCursorHeader = "X-Next-Cursor";
    public const string MissedHeader = "X-Events-Missed";
    public const string CursorResetHeader = "X-Cursor-Reset";

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events").WithTags("Events").RequireAuthorization(ApiKeyPolicies.Reads);

        group.MapGet("/recent", GetRecent)
            .WithName("GetRecentEvents")
            .WithSummary("Consumed events with their partition, offset, Kafka timestamp and buffer sequence; filterable, and pollable with a cursor.")
            .WithDescription(
                $"Without `after`: the newest `limit` (1 to {MaxLimit}, default {DefaultLimit}) matching events, newest first. "
                + $"With `after` (the `{NextCursorHeader}` header of a previous response): the matching events that arrived since, oldest first, at most `limit`; "
                + $"poll again with the new `{NextCursorHeader}` to miss nothing and see nothing twice. "
                + $"`{MissedHeader}` says how many events after the cursor were evicted from the buffer before this read; "
                + $"`{CursorResetHeader}: true` says the cursor came from before a restart and reading started again from the oldest event held.")
            .WithMetadata(new ResponseHeader(NextCursorHeader, "Cursor to pass as `after` to continue from this response."))
            .WithMetadata(new ResponseHeader(MissedHeader, "Events after the cursor evicted before they could be read (only when some were)."))
            .WithMetadata(new ResponseHeader(CursorResetHeader, "Present and true when the cursor was from another buffer epoch (a restart)."))
            .WithValidationProblem("The query is not valid.");
        group.MapGet("/stream", LiveTail.StreamAsync)
            .WithName("StreamEvents")
            .WithSummary("Live tail as Server-Sent Events, with the same filters; resumes after Last-Event-ID (or `after`).")
            .WithDescription(
                "Each event is `id: <cursor>`, `event: click`, `data: <the event as in recent>`. A comment line is sent as a heartbeat "
                + "every Stream:HeartbeatSeconds of silence. A reader that falls more than the buffer behind gets `event: dropped` with "
                + "`data: {\"dropped\": N, \"totalDropped\": T}` instead of the events it missed. Past Stream:MaxClients open streams: 503.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/rejected", GetRejected)
            .WithName("GetRejectedMessages")
            .WithSummary("Messages on the topic that were not valid events: counts by reason and the newest few with a safe preview.");

        return routes;
    }

    /// <summary>Reads a query the framework has validated (<see cref="RecentEventsQuery"/>).</summary>
    public static EventJson.ListResult GetRecent(
        HttpContext context,
        RingBuffer<ConsumedEvent> buffer,
        EventJson json,
        [AsParameters] RecentEventsQuery query)
    {
        var filter = query.Filter;
        var count = query.Limit ?? DefaultLimit;
        var after = query.After;
        long since = 0;
        var reset = false;
        if (after is not null)
        {
            // Well-formed: the framework has checked it; the epoch decides whether it still counts.
            _ = EventCursor.TryParse(after, buffer.Epoch, out since, out reset);
        }

        var predicate = filter.IsEmpty ? null : (Func<ConsumedEvent, bool>)filter.Matches;
        var headers = context.Response.Headers;
        if (after is null)
        {
            // The cursor is taken first: anything appended while we read is newer than it.
            var newest = buffer.LastSequence;
            headers[NextCursorHeader] = EventCursor.Format(buffer.Epoch, newest);
            return json.List(buffer.Newest(count, predicate, newest));
        }

        var events = buffer.After(since, count, predicate, out var scannedTo, out var missed);
        headers[NextCursorHeader] = EventCursor.Format(buffer.Epoch, scannedTo);
        if (missed > 0)
        {
            headers[MissedHeader] = missed.ToString(CultureInfo.InvariantCulture);
        }

        if (reset)
        {
            headers[CursorResetHeader] = "true";
        }

        return json.List(events);
    }

    public static Ok<RejectedMessages> GetRejected(RejectedMessageLog log) =>
        TypedResults.Ok(new RejectedMessages(log.Total, log.Capacity, log.CountsByReason(), log.Newest()));
}

/// <summary>Describes a response header in OpenAPI (see <see cref="ResponseHeadersFilter"/>).</summary>
public sealed record ResponseHeader(string Name, string Description);
