using System.Globalization;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickstreamApi.Api;

/// <summary>Read what the consumer took off the topic.</summary>
public static class EventsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events").WithTags("Events");

        group.MapGet("/recent", GetRecent)
            .WithName("GetRecentEvents")
            .WithSummary("The newest consumed events, newest first, with their partition, offset and Kafka timestamp.")
            .WithDescription($"`limit` is 1 to {MaxLimit} (default {DefaultLimit}).");
        group.MapGet("/rejected", GetRejected)
            .WithName("GetRejectedMessages")
            .WithSummary("Messages on the topic that were not valid events: counts by reason and the newest few with a safe preview.");

        return routes;
    }

    public static Results<Ok<List<ConsumedEvent>>, ValidationProblem> GetRecent(RingBuffer<ConsumedEvent> buffer, int? limit)
    {
        var count = limit ?? DefaultLimit;
        if (count is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    ["limit"] = [string.Create(CultureInfo.InvariantCulture, $"Must be between 1 and {MaxLimit}; got {count}.")],
                },
                title: "The limit is not valid.");
        }

        return TypedResults.Ok(buffer.Newest(count));
    }

    public static Ok<RejectedMessages> GetRejected(RejectedMessageLog log) =>
        TypedResults.Ok(new RejectedMessages(log.Total, log.Capacity, log.CountsByReason(), log.Newest()));
}
