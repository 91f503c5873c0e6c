using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace ClickstreamApi.Events;

/// <summary>
/// One click-stream event as it travels on the topic (schema version 1, documented in the README).
/// Events from this service's generator carry every field; other producers must send at least
/// <c>eventId</c>, <c>userId</c>, <c>eventType</c>, <c>page</c> and <c>occurredAt</c>.
/// </summary>
public record ClickEvent
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Unique id of the event (UUID; version 7 from the generator, so ids sort by time).</summary>
    public required Guid EventId { get; init; }

    /// <summary>Shape of the event; changes when fields change meaning or disappear.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Position of the event in its generator run, from 1 with no gaps (for gap and duplicate detection).</summary>
    public long? Seq { get; init; }

    /// <summary>Generator run that produced the event; <see cref="Seq"/> counts within it.</summary>
    public string? RunId { get; init; }

    /// <summary>The user who acted; also the Kafka message key, so one user's events stay in order.</summary>
    public required string UserId { get; init; }

    /// <summary>The user's visit this event belongs to.</summary>
    public string? SessionId { get; init; }

    /// <summary>What happened: <c>page_view</c> or <c>click</c> in schema version 1.</summary>
    public required string EventType { get; init; }

    /// <summary>Path of the page the event happened on, for example <c>/product/42</c>.</summary>
    public required string Page { get; init; }

    /// <summary>Where the user came from: the previous page, an external site, or null for direct traffic.</summary>
    public string? Referrer { get; init; }

    /// <summary><c>desktop</c>, <c>mobile</c> or <c>tablet</c>.</summary>
    public string? Device { get; init; }

    /// <summary>When the event happened (UTC); also the Kafka message timestamp.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>An event as the consumer read it: the event's fields plus where it was on the topic.</summary>
public sealed record ConsumedEvent : ClickEvent
{
    [SetsRequiredMembers]
    public ConsumedEvent(ClickEvent clickEvent, int partition, long offset, DateTimeOffset timestamp)
        : base(clickEvent)
    {
        Partition = partition;
        Offset = offset;
        Timestamp = timestamp;
    }

    /// <summary>Partition the event was read from.</summary>
    [JsonPropertyOrder(1)]
    public int Partition { get; }

    /// <summary>Offset of the event in its partition.</summary>
    [JsonPropertyOrder(1)]
    public long Offset { get; }

    /// <summary>The Kafka message timestamp.</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset Timestamp { get; }
}
