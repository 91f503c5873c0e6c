using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace ClickstreamApi.Events;

/// <summary>
/// One click-stream event as it travels on the topic (schema version 2). Its fields on the wire,
/// their names, order and rules, are declared in <see cref="ClickEventFields"/>; docs/events.md and
/// the JSON Schema in schemas/ describe the same. Version 2 adds fields to version 1 and removes
/// none, so version-1 readers keep working. Producers must send at least <c>eventId</c>,
/// <c>userId</c>, <c>eventType</c>, <c>page</c> and <c>occurredAt</c>; everything else is optional.
/// </summary>
public record ClickEvent
{
    public const int CurrentSchemaVersion = 2;

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

    /// <summary>What happened: <c>page_view</c>, <c>click</c>, <c>search</c>, <c>add_to_cart</c>, <c>checkout</c> or <c>purchase</c>.</summary>
    public required string EventType { get; init; }

    /// <summary>Path of the page the event happened on, for example <c>/product/42</c>.</summary>
    public required string Page { get; init; }

    /// <summary>Where the user came from: the previous page, an external site, or null for direct traffic.</summary>
    public string? Referrer { get; init; }

    /// <summary><c>desktop</c>, <c>mobile</c> or <c>tablet</c>.</summary>
    public string? Device { get; init; }

    /// <summary>When the event happened (UTC); also the Kafka message timestamp.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The browser's user agent; bots say so in it (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserAgent { get; init; }

    /// <summary>The user's country, ISO 3166-1 alpha-2 (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Country { get; init; }

    /// <summary><c>new</c> or <c>returning</c> (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VisitorType { get; init; }

    /// <summary>HTTP status of the page load or action: 200, or an occasional 404 or 500 (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Status { get; init; }

    /// <summary>Catalogue category of the page or product, for example <c>electronics</c> (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Category { get; init; }

    /// <summary>The product viewed, clicked or added to the cart (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProductId { get; init; }

    /// <summary>The search terms of a <c>search</c> event (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Query { get; init; }

    /// <summary>The page element a <c>click</c> hit, for example <c>image_gallery</c> (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Element { get; init; }

    /// <summary>Items added by an <c>add_to_cart</c> event (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Quantity { get; init; }

    /// <summary>Money involved: item total for <c>add_to_cart</c>, cart total for <c>checkout</c> and <c>purchase</c> (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Amount { get; init; }

    /// <summary>ISO 4217 currency of <see cref="Amount"/> (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Currency { get; init; }

    /// <summary>The order a <c>purchase</c> created (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OrderId { get; init; }

    /// <summary>The products in the cart at <c>checkout</c> and <c>purchase</c> (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? ProductIds { get; init; }

    /// <summary>Campaign source on a session's first event, for example <c>google</c> or <c>newsletter</c> (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UtmSource { get; init; }

    /// <summary>Campaign medium on a session's first event, for example <c>cpc</c>, <c>email</c> or <c>social</c> (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UtmMedium { get; init; }

    /// <summary>Campaign name on a session's first event (v2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UtmCampaign { get; init; }
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

    /// <summary>Position in this service's buffer of consumed events (1, 2, 3, ... since the service started).</summary>
    [JsonPropertyOrder(1)]
    public long Sequence { get; internal set; }

    /// <summary>Partition the event was read from.</summary>
    [JsonPropertyOrder(1)]
    public int Partition { get; }

    /// <summary>Offset of the event in its partition.</summary>
    [JsonPropertyOrder(1)]
    public long Offset { get; }

    /// <summary>The Kafka message timestamp.</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset Timestamp { get; }

    /// <summary>How the value was written: <c>json</c>, <c>avro</c>, <c>json-schema</c>, or <c>text</c> (the exercise's lines).</summary>
    [JsonPropertyOrder(1)]
    public string Format { get; init; } = "json";

    /// <summary>The registry's id of the schema the value names (Avro and JSON Schema only).</summary>
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SchemaId { get; init; }

    /// <summary>The message's Kafka headers in their order (run-id, seq, event-type, schema-version, content-type from this service's generator); absent when it had none.</summary>
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EventHeader>? Headers { get; init; }
}
