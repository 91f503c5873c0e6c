using System.Text.Json;

namespace ClickstreamApi.Events;

/// <summary>The wire names of the event's fields, pre-encoded once for the reader and the writer.</summary>
internal static class ClickEventFields
{
    public static readonly JsonEncodedText EventId = JsonEncodedText.Encode("eventId");
    public static readonly JsonEncodedText SchemaVersion = JsonEncodedText.Encode("schemaVersion");
    public static readonly JsonEncodedText Seq = JsonEncodedText.Encode("seq");
    public static readonly JsonEncodedText RunId = JsonEncodedText.Encode("runId");
    public static readonly JsonEncodedText UserId = JsonEncodedText.Encode("userId");
    public static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("sessionId");
    public static readonly JsonEncodedText EventType = JsonEncodedText.Encode("eventType");
    public static readonly JsonEncodedText Page = JsonEncodedText.Encode("page");
    public static readonly JsonEncodedText Referrer = JsonEncodedText.Encode("referrer");
    public static readonly JsonEncodedText Device = JsonEncodedText.Encode("device");
    public static readonly JsonEncodedText OccurredAt = JsonEncodedText.Encode("occurredAt");

    public const int MaxIdLength = 128;
    public const int MaxNameLength = 64;
    public const int MaxUrlLength = 2048;
}
