namespace ClickstreamApi.Events;

/// <summary>The Kafka headers the generator puts on every event (docs/events.md, "Headers"; Output:Headers=false leaves them out).</summary>
public static class EventHeaderNames
{
    /// <summary>The event's <c>runId</c>.</summary>
    public const string RunId = "run-id";

    /// <summary>The event's <c>seq</c>, in decimal.</summary>
    public const string Seq = "seq";

    /// <summary>The event's <c>eventType</c>.</summary>
    public const string EventType = "event-type";

    /// <summary>The event's <c>schemaVersion</c>, in decimal.</summary>
    public const string SchemaVersion = "schema-version";

    /// <summary>How the value is written: <c>application/json</c>, <c>application/vnd.confluent.avro</c> or <c>application/vnd.confluent.jsonschema+json</c>.</summary>
    public const string ContentType = "content-type";

    /// <summary>The W3C trace context, when tracing is on.</summary>
    public const string TraceParent = "traceparent";

    public static readonly IReadOnlyList<string> Always = [RunId, Seq, EventType, SchemaVersion, ContentType];
}
